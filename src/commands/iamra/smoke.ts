import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { DEFAULT_NAMES } from '../../shared/metadata/constants.js';
import { withSessionCheck } from '../../shared/org/orgErrors.js';
import { smokeFailure } from '../../shared/org/smokeTest.js';
import { runServiceCheck, type ServiceCheckResult } from '../../shared/org/serviceCheck.js';
import { runningUsername } from '../../shared/org/runningUser.js';
import { basicErrorCodes } from '../../flags/helpSections.js';
import { withDescriptions } from '../../flags/describe.js';
import { targetOrgFlag } from '../../flags/deploy.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.smoke');

export type IamraSmokeResult = ServiceCheckResult;

export default class IamraSmoke extends SfCommand<IamraSmokeResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = basicErrorCodes;

  public static readonly flags = withDescriptions(messages, {
    'target-org': targetOrgFlag,
    'api-version': Flags.orgApiVersion(),
    'named-credential': Flags.string({
      summary: messages.getMessage('flags.named-credential.summary'),
      default: DEFAULT_NAMES.namedCredential,
    }),
  });

  public async run(): Promise<IamraSmokeResult> {
    const { flags } = await this.parse(IamraSmoke);
    const org = flags['target-org'];
    const connection = org.getConnection(flags['api-version']);
    const namedCredential = flags['named-credential'];
    this.spinner.start(messages.getMessage('spinner', [namedCredential]));
    const result = await withSessionCheck(runningUsername(org, connection), () => runServiceCheck(connection, { namedCredential })).catch(
      (error: unknown) => {
        this.spinner.stop(messages.getMessage('spinner.failed'));
        throw error;
      }
    );
    this.spinner.stop(messages.getMessage(result.passed ? 'spinner.passed' : 'spinner.failed', [String(result.httpStatus ?? '')]));
    if (!result.passed) throw smokeFailure(result);
    this.logSuccess(
      result.service === 's3'
        ? messages.getMessage('passed.s3', [result.message])
        : messages.getMessage('passed', [String(result.httpStatus), result.assumedRoleArn ?? '', result.account ?? ''])
    );
    return result;
  }
}
