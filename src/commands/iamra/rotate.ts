import { Messages } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { canGuide } from '../../flags/guidedImport.js';
import { rotateFlags } from '../../flags/rotate.js';
import { type GuidedImportResult, importKeystoreCertificate, importPollMs } from '../../shared/import/guidedImport.js';
import { secretRoutesFromFlags } from '../../flags/secrets.js';
import { secretAsker } from '../../shared/secrets.js';
import { withSessionCheck } from '../../shared/org/orgErrors.js';
import { rotateCertificate, type RotateResult, type RotateStage } from '../../shared/rotate/service.js';
import { deployReporter, failDisplay, stagesOf } from '../../formatters/deployReporter.js';
import { stageDisplay } from '../../formatters/stageDisplay.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.rotate');

/** The steps rotateCertificate reports, in order; the rollback only when the new certificate fails the live check. */
const STAGES: readonly RotateStage[] = ['check', 'read', 'deploy', 'live-check', 'rollback'];

export type IamraRotateResult = RotateResult & { import?: GuidedImportResult };

export default class IamraRotate extends SfCommand<IamraRotateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly flags = rotateFlags;

  public async run(): Promise<IamraRotateResult> {
    const { flags } = await this.parse(IamraRotate);
    const org = flags['target-org'];
    const connection = org.getConnection(flags['api-version']);
    let certificate = flags['certificate-name'];
    let imported: GuidedImportResult | undefined;
    if (flags.keystore) {
      imported = await importKeystoreCertificate({
        org,
        connection,
        keystorePath: flags.keystore,
        certificateName: certificate,
        askSecret: secretAsker(secretRoutesFromFlags(flags, this)),
        interactive: canGuide(this.jsonEnabled()),
        browser: flags.browser,
        timeoutMs: flags['import-timeout'].milliseconds,
        pollMs: importPollMs(),
        say: (message) => this.log(message),
      });
      certificate = imported.certificate;
      this.log(messages.getMessage('done.import', [imported.certificate, imported.detail]));
    }
    if (!certificate) throw messages.createError('error.NoCertificate');
    const display = await stageDisplay(this, messages.getMessage('display.title', [certificate]));
    display.open(stagesOf(STAGES, (id) => messages.getMessage(`stage.${id}`)));
    const progress = deployReporter(this, display);
    const result = await withSessionCheck(org.getUsername() ?? '', () =>
      rotateCertificate({
        org,
        connection,
        certificate,
        externalCredential: flags['external-credential'],
        namedCredential: flags['named-credential'],
        callout: flags.callout,
        wait: flags.wait,
        testLevel: flags['test-level'],
        warn: progress.warn,
        progress: { status: progress.status, deploy: progress.deploy },
      })
    ).catch(failDisplay(display));
    display.done();
    if (result.action === 'unchanged') {
      this.logSuccess(messages.getMessage('done.unchanged', [result.to]));
      return { ...result, ...(imported ? { import: imported } : {}) };
    }
    this.logSuccess(messages.getMessage('done.rotated', [result.to, result.from, result.deployId ?? '']));
    if (result.liveCheck) this.log(messages.getMessage('done.liveCheck', [result.liveCheck.message]));
    if (result.deleteOldCommand) this.log(messages.getMessage('done.keepOld', [result.from, result.deleteOldCommand]));
    return { ...result, ...(imported ? { import: imported } : {}) };
  }
}

