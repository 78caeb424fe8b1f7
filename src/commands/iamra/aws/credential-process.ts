import { SfCommand } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import { checkRequestFromFlags, rolesAnywhereFlags } from '../../../flags/rolesAnywhere.js';
import { requireArnSources } from '../../../flags/aws.js';
import { credentialProcessJson, type CredentialProcessOutput } from '../../../shared/rolesanywhere/credentialProcess.js';
import { createSession } from '../../../shared/rolesanywhere/createSession.js';
import { basicErrorCodes, rolesAnywhereEnvSection } from '../../../flags/helpSections.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.aws.credential-process');

export type IamraAwsCredentialProcessResult = CredentialProcessOutput;

/**
 * For `credential_process` in ~/.aws/config: stdout carries exactly one line of JSON and nothing
 * else (no --json envelope, no trailing newline, as AWS's helper); everything else goes to stderr.
 */
export default class CredentialProcess extends SfCommand<IamraAwsCredentialProcessResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly envVariablesSection = rolesAnywhereEnvSection;
  public static readonly errorCodes = basicErrorCodes;
  // An sf --json envelope would break AWS tooling, which reads stdout as the credential JSON itself.
  public static readonly enableJsonFlag = false;

  public static readonly flags = rolesAnywhereFlags;

  public async run(): Promise<IamraAwsCredentialProcessResult> {
    const { flags } = await this.parse(CredentialProcess);
    requireArnSources(flags);
    // No prompt: AWS tooling runs this without a terminal, and a prompt would write to stdout.
    const { credentials } = await createSession({
      ...checkRequestFromFlags(flags),
      onWarning: (warning) => this.logToStderr(warning),
      onDebug: flags.debug ? (label, text): void => this.logToStderr(`--- ${label} ---\n${text}\n---`) : undefined,
    });
    const output = credentialProcessJson(credentials);
    process.stdout.write(JSON.stringify(output));
    return output;
  }
}
