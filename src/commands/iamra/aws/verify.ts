import { SfCommand } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import { checkRequestFromFlags, rolesAnywhereFlags } from '../../../flags/rolesAnywhere.js';
import { requireArnSources } from '../../../flags/aws.js';
import { verifyRolesAnywhere, type VerifyResult } from '../../../shared/rolesanywhere/createSession.js';
import { basicErrorCodes, rolesAnywhereEnvSection } from '../../../flags/helpSections.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.aws.verify');

export type IamraAwsVerifyResult = VerifyResult;

export default class Verify extends SfCommand<IamraAwsVerifyResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly envVariablesSection = rolesAnywhereEnvSection;
  public static readonly errorCodes = basicErrorCodes;

  public static readonly flags = rolesAnywhereFlags;

  public async run(): Promise<IamraAwsVerifyResult> {
    const { flags } = await this.parse(Verify);
    requireArnSources(flags);
    const result = await verifyRolesAnywhere({
      ...checkRequestFromFlags(flags, this),
      onWarning: (warning) => this.warn(warning),
      onDebug: flags.debug ? (label, text): void => this.logToStderr(`--- ${label} ---\n${text}\n---`) : undefined,
    });
    this.logSuccess(messages.getMessage('success', [result.assumedRoleArn]));
    this.table({
      data: [
        { field: messages.getMessage('field.assumedRole'), value: result.assumedRoleArn },
        { field: messages.getMessage('field.subject'), value: result.subjectArn ?? '-' },
        { field: messages.getMessage('field.sourceIdentity'), value: result.sourceIdentity ?? '-' },
        { field: messages.getMessage('field.expiration'), value: result.expiration },
        { field: messages.getMessage('field.certificate'), value: `${result.certificate.subject} (${result.certificate.keyType})` },
        { field: messages.getMessage('field.region'), value: `${result.region} (${result.endpoint})` },
      ],
    });
    return result;
  }
}
