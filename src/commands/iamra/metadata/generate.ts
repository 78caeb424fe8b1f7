import { isAbsolute, relative } from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { ROLES_ANYWHERE_ARN_KINDS } from '../../../shared/aws/arn.js';
import { serviceEndpoint } from '../../../shared/metadata/builder.js';
import { SERVICES } from '../../../shared/metadata/constants.js';
import { generateMetadata, type MetadataGenerateResult } from '../../../shared/metadata/generate.js';
import { credentialSetFlags, credentialSetInputFromFlags } from '../../../flags/credentialSet.js';
import { ARN_FLAGS } from '../../../shared/aws/arnResolver.js';
import { withDescriptions } from '../../../flags/describe.js';
import { requireArnSources } from '../../../flags/aws.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.metadata.generate');

export type IamraMetadataGenerateResult = MetadataGenerateResult;

export default class IamraMetadataGenerate extends SfCommand<IamraMetadataGenerateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = withDescriptions(messages, {
    ...credentialSetFlags,
    service: Flags.option({ summary: messages.getMessage('flags.service.summary'), options: SERVICES })(),
    'identity-provider': Flags.boolean({ summary: messages.getMessage('flags.identity-provider.summary') }),
    'identity-provider-certificate': Flags.string({
      summary: messages.getMessage('flags.identity-provider-certificate.summary'),
      dependsOn: ['identity-provider'],
    }),
    'output-dir': Flags.directory({ summary: messages.getMessage('flags.output-dir.summary') }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary') }),
  });

  public async run(): Promise<IamraMetadataGenerateResult> {
    const { flags } = await this.parse(IamraMetadataGenerate);
    requireArnSources(flags);
    const input = credentialSetInputFromFlags(flags);
    const result = await generateMetadata({
      ...input,
      service: flags.service,
      names: { ...input.names, identityProviderCertificate: flags['identity-provider-certificate'] },
      identityProvider: flags['identity-provider'],
      outputDir: flags['output-dir'],
      force: flags.force,
    });
    this.report(result);
    return result;
  }

  private report(result: IamraMetadataGenerateResult): void {
    const { inputs } = result;
    const endpoint = serviceEndpoint(result.stage, inputs.region.value, inputs.partition);
    this.log(messages.getMessage('info.inputs', [result.stage, endpoint, inputs.region.value, inputs.accountId]));
    for (const kind of ROLES_ANYWHERE_ARN_KINDS) {
      const { value, source } = inputs[kind];
      const label = ARN_FLAGS[kind].slice(2);
      this.log(
        source.from === 'stack-outputs'
          ? messages.getMessage('info.source.stack-outputs', [label, value, source.outputKey, source.file])
          : messages.getMessage('info.source.flag', [label, value, ARN_FLAGS[kind]])
      );
    }
    this.table({
      data: result.files.map((file) => ({ status: file.status, type: file.type, name: file.fullName, path: displayPath(file.path) })),
      title: messages.getMessage('table.title'),
    });
    if (result.files.every((file) => file.status === 'unchanged')) this.log(messages.getMessage('info.nothingChanged'));
    this.info(messages.getMessage('info.roleArn'));
    for (const warning of result.warnings) this.warn(warning);
  }
}

/** Relative to the working directory when inside it (as users type paths), else absolute. */
function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
}
