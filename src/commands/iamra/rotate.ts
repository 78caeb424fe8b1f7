import { Messages } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { rotateFlags } from '../../flags/rotate.js';
import { withSessionCheck } from '../../shared/org/orgErrors.js';
import { rotateCertificate, type RotateResult } from '../../shared/rotate/service.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.rotate');

export type IamraRotateResult = RotateResult;

export default class IamraRotate extends SfCommand<IamraRotateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly flags = rotateFlags;

  public async run(): Promise<IamraRotateResult> {
    const { flags } = await this.parse(IamraRotate);
    const org = flags['target-org'];
    this.spinner.start(messages.getMessage('spinner', [flags['certificate-name']]));
    const result = await withSessionCheck(org.getUsername() ?? '', () =>
      rotateCertificate({
        org,
        connection: org.getConnection(flags['api-version']),
        certificate: flags['certificate-name'],
        externalCredential: flags['external-credential'],
        namedCredential: flags['named-credential'],
        callout: flags.callout,
        wait: flags.wait,
        testLevel: flags['test-level'],
        warn: (message) => this.warn(message),
      })
    ).finally(() => this.spinner.stop());
    if (result.action === 'unchanged') {
      this.logSuccess(messages.getMessage('done.unchanged', [result.to]));
      return result;
    }
    this.logSuccess(messages.getMessage('done.rotated', [result.to, result.from, result.deployId ?? '']));
    if (result.liveCheck) this.log(messages.getMessage('done.liveCheck', [result.liveCheck.message]));
    if (result.deleteOldCommand) this.log(messages.getMessage('done.keepOld', [result.from, result.deleteOldCommand]));
    return result;
  }
}
