import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { type InspectKeystoreResult, inspectKeystore } from '../../../shared/keystore/inspect.js';
import { reportRows } from '../../../shared/keystore/report.js';
import { hasErrors } from '../../../shared/keystore/rules.js';
import { secretRoutesFromFlags } from '../../../flags/secrets.js';
import { secretAsker } from '../../../shared/secrets.js';
import { basicErrorCodes, keystorePasswordEnvSection } from '../../../flags/helpSections.js';
import { withDescriptions } from '../../../flags/describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.keystore.inspect');

export type IamraKeystoreInspectResult = InspectKeystoreResult;

/** Exit code when the keystore breaks an error-level rule (the report is still printed). */
const EXIT_PROBLEMS_FOUND = 1;

export default class IamraKeystoreInspect extends SfCommand<IamraKeystoreInspectResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly envVariablesSection = keystorePasswordEnvSection;
  public static readonly errorCodes = basicErrorCodes;

  public static readonly flags = withDescriptions(messages, {
    keystore: Flags.file({ char: 'k', summary: messages.getMessage('flags.keystore.summary'), required: true }),
    'keystore-password-file': Flags.file({ summary: messages.getMessage('flags.keystore-password-file.summary') }),
  });

  public async run(): Promise<IamraKeystoreInspectResult> {
    const { flags } = await this.parse(IamraKeystoreInspect);
    const result = await inspectKeystore({
      file: flags.keystore,
      askSecret: secretAsker(secretRoutesFromFlags(flags, this)),
    });

    this.table({ data: reportRows(result) });
    if (result.findings.length === 0) {
      this.logSuccess(messages.getMessage('noFindings'));
      return result;
    }
    this.table({ data: result.findings.map(({ severity, code, message, action }) => ({ severity, code, message, action })) });
    if (hasErrors(result.findings)) {
      this.log(messages.getMessage('problemsFound', [String(result.findings.filter((f) => f.severity === 'error').length)]));
      process.exitCode = EXIT_PROBLEMS_FOUND;
    }
    return result;
  }
}
