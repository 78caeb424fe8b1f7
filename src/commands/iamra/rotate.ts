import { Messages } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { guidedImportSettings } from '../../flags/guidedImport.js';
import { localKeyFromFlags, rotateFlags } from '../../flags/rotate.js';
import { type GuidedImportResult, importKeystoreCertificate } from '../../shared/import/guidedImport.js';
import { secretRoutesFromFlags } from '../../flags/secrets.js';
import { askingOnce, secretAsker } from '../../shared/secrets.js';
import { withSessionCheck } from '../../shared/org/orgErrors.js';
import { rotateCertificate, type RotateResult, type RotateStage } from '../../shared/rotate/service.js';
import { rotatePreflight } from '../../shared/rotate/preflight.js';
import type { VerifyResult } from '../../shared/rolesanywhere/createSession.js';
import { deployReporter, failDisplay, stagesOf } from '../../formatters/deployReporter.js';
import { stageDisplay } from '../../formatters/stageDisplay.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.rotate');

/** The steps rotateCertificate reports, in order; the rollback only when the new certificate fails the live check. */
const STAGES: readonly RotateStage[] = ['check', 'read', 'deploy', 'live-check', 'delete-old', 'rollback'];

export type IamraRotateResult = RotateResult & {
  import?: GuidedImportResult;
  /** The CreateSession pre-flight with the local key, when it ran. */
  preflight?: { assumedRoleArn: string; expiration: string; endpoint: string };
};

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
    // Asked once: the pre-flight and the guided import may both need the keystore password, before the display starts.
    const askSecret = askingOnce(secretAsker(secretRoutesFromFlags(flags, this)));
    // With the new key on this machine: CreateSession with it first, before anything in the org changes.
    const local = localKeyFromFlags(flags);
    let preflight: VerifyResult | undefined;
    if (local && flags.preflight) {
      preflight = await withSessionCheck(org.getUsername() ?? '', () =>
        rotatePreflight({ connection, externalCredential: flags['external-credential'], credential: local, askSecret, endpoint: flags.endpoint })
      );
      this.log(messages.getMessage('done.preflight', [preflight.assumedRoleArn]));
    }
    if (flags.keystore) {
      imported = await importKeystoreCertificate({
        org,
        connection,
        keystorePath: flags.keystore,
        certificateName: certificate,
        askSecret,
        ...guidedImportSettings(flags, this),
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
        deleteOld: flags['delete-old'],
        wait: flags.wait,
        testLevel: flags['test-level'],
        warn: progress.warn,
        // the rollback follows a failed live check: that check is shown failed, not done
        progress: { status: (stage) => (stage === 'rollback' ? display.failedThen(stage) : progress.status(stage)), deploy: progress.deploy },
      })
    ).catch((error: unknown) => {
      // rolled back: the rollback itself worked, only the live check failed
      if ((error as { data?: { action?: string } }).data?.action === 'rolledBack') display.finished('rollback', 'succeeded');
      return failDisplay(display)(error);
    });
    display.done();
    if (result.action === 'unchanged') {
      this.logSuccess(messages.getMessage('done.unchanged', [result.to]));
      return { ...result, ...extras(imported, preflight) };
    }
    this.logSuccess(messages.getMessage('done.rotated', [result.to, result.from, result.deployId ?? '']));
    if (result.liveCheck) this.log(messages.getMessage('done.liveCheck', [result.liveCheck.message]));
    const old = result.oldCertificate;
    if (old?.action === 'deleted') this.log(messages.getMessage('done.deletedOld', [old.name, old.deployId ?? '']));
    if (old?.reason) this.warn(messages.getMessage('warning.keptOld', [old.name, old.reason]));
    if (result.deleteOldCommand) this.log(messages.getMessage('done.keepOld', [result.from, result.deleteOldCommand]));
    return { ...result, ...extras(imported, preflight) };
  }
}

function extras(imported?: GuidedImportResult, preflight?: VerifyResult): Pick<IamraRotateResult, 'import' | 'preflight'> {
  return {
    ...(imported ? { import: imported } : {}),
    ...(preflight ? { preflight: { assumedRoleArn: preflight.assumedRoleArn, expiration: preflight.expiration, endpoint: preflight.endpoint } } : {}),
  };
}

