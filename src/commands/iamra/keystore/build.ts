import { basename } from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { awsAccessFlags, awsAccessFromFlags } from '../../../flags/aws.js';
import { exportFromAcm } from '../../../shared/aws/acmExport.js';
import { type BuildKeystoreResult, buildKeystore } from '../../../shared/keystore/build.js';
import { DEFAULT_ALIAS, IMPORT_LOCATION } from '../../../shared/keystore/constants.js';
import type { CredentialSource } from '../../../shared/keystore/intake.js';
import { reportRows } from '../../../shared/keystore/report.js';
import { personCanAnswer, secretRoutesFromFlags } from '../../../flags/secrets.js';
import { keystorePasswordSource, secretAsker } from '../../../shared/secrets.js';
import { basicErrorCodes, secretEnvSection } from '../../../flags/helpSections.js';
import { withDescriptions } from '../../../flags/describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.keystore.build');

export type IamraKeystoreBuildResult = BuildKeystoreResult & {
  /** The ACM private certificate exported into this keystore (--stack-name / --acm-certificate-arn). */
  acmCertificateArn?: string;
};

const SOURCES = ['certificate', 'pkcs12', 'stack-name', 'acm-certificate-arn'];

export default class IamraKeystoreBuild extends SfCommand<IamraKeystoreBuildResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly envVariablesSection = secretEnvSection;
  public static readonly errorCodes = basicErrorCodes;

  public static readonly flags = withDescriptions(messages, {
    certificate: Flags.file({
      char: 'c',
      summary: messages.getMessage('flags.certificate.summary'),
      exactlyOne: SOURCES,
      dependsOn: ['private-key'],
    }),
    'private-key': Flags.file({
      summary: messages.getMessage('flags.private-key.summary'),
      dependsOn: ['certificate'],
    }),
    chain: Flags.file({
      summary: messages.getMessage('flags.chain.summary'),
      multiple: true,
      dependsOn: ['certificate'],
    }),
    pkcs12: Flags.file({
      summary: messages.getMessage('flags.pkcs12.summary'),
      exactlyOne: SOURCES,
    }),
    'stack-name': Flags.string({ summary: messages.getMessage('flags.stack-name.summary'), exactlyOne: SOURCES, helpGroup: 'AWS' }),
    'acm-certificate-arn': Flags.string({
      summary: messages.getMessage('flags.acm-certificate-arn.summary'),
      exactlyOne: SOURCES,
      helpGroup: 'AWS',
    }),
    yes: Flags.boolean({ char: 'y', summary: messages.getMessage('flags.yes.summary'), helpGroup: 'AWS' }),
    ...awsAccessFlags,
    alias: Flags.string({
      char: 'a',
      summary: messages.getMessage('flags.alias.summary'),
      default: DEFAULT_ALIAS,
    }),
    output: Flags.file({ summary: messages.getMessage('flags.output.summary'), required: true }),
    force: Flags.boolean({ char: 'f', summary: messages.getMessage('flags.force.summary') }),
    'key-passphrase-file': Flags.file({ summary: messages.getMessage('flags.key-passphrase-file.summary') }),
    'keystore-password-file': Flags.file({ summary: messages.getMessage('flags.keystore-password-file.summary') }),
  });

  public async run(): Promise<IamraKeystoreBuildResult> {
    const { flags } = await this.parse(IamraKeystoreBuild);
    let acmCertificateArn: string | undefined;
    const fromAcm = async (): Promise<CredentialSource> => {
      const exported = await exportFromAcm({
        acmCertificateArn: flags['acm-certificate-arn'],
        stackName: flags['stack-name'],
        aws: awsAccessFromFlags(flags),
        yes: flags.yes,
        confirm: personCanAnswer(this) ? (message): Promise<boolean> => this.confirm({ message }) : undefined,
        onNotice: (message) => this.info(message),
      });
      acmCertificateArn = exported.certificateArn;
      return exported.source;
    };
    const source: CredentialSource | (() => Promise<CredentialSource>) = flags.pkcs12
      ? { kind: 'pkcs12', file: flags.pkcs12 }
      : flags.certificate
      ? { kind: 'pem', certificateFile: flags.certificate, privateKeyFile: flags['private-key']!, chainFiles: flags.chain }
      : fromAcm;
    const routes = secretRoutesFromFlags(flags, this);
    const built = await buildKeystore({
      source,
      alias: flags.alias,
      output: flags.output,
      force: flags.force,
      askSecret: secretAsker(routes),
      keystorePassword: keystorePasswordSource(routes),
      onNotice: (notice) => this.warn(notice.message),
    });
    const result: IamraKeystoreBuildResult = acmCertificateArn ? { ...built, acmCertificateArn } : built;

    for (const warning of result.findings) this.warn(warning.message);
    this.logSuccess(messages.getMessage('built', [result.path]));
    this.table({ data: reportRows(result) });
    if (result.generatedKeystorePassword !== undefined) {
      if (this.jsonEnabled()) {
        // with --json the result is the only channel a script has to learn the generated password
        this.warn(messages.getMessage('generatedPasswordInJson'));
        return result;
      }
      this.logSensitive(messages.getMessage('generatedPassword', [result.generatedKeystorePassword]));
    }
    this.log(messages.getMessage('nextStep', [IMPORT_LOCATION, basename(result.path), result.alias]));
    const { generatedKeystorePassword, ...withoutSecret } = result;
    return generatedKeystorePassword === undefined ? result : withoutSecret;
  }
}
