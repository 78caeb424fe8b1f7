import { Messages } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { canGuide } from '../../flags/guidedImport.js';
import { rotateFlags } from '../../flags/rotate.js';
import { ensureCertificateImported, type GuidedImportResult, readKeystoreLeaf } from '../../shared/import/guidedImport.js';
import { importMessages } from '../../shared/import/messages.js';
import { interactivePrompt, secretAsker } from '../../shared/keystore/secretSources.js';
import { withSessionCheck } from '../../shared/org/orgErrors.js';
import { rotateCertificate, type RotateResult } from '../../shared/rotate/service.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.rotate');

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
      const asker = secretAsker({
        keystorePasswordFile: flags['keystore-password-file'],
        prompt: interactivePrompt(this.jsonEnabled(), (options) => this.secretPrompt(options)),
      });
      const { alias, leaf } = await readKeystoreLeaf(flags.keystore, asker);
      if (certificate && certificate !== alias) throw importMessages.createError('error.AliasMismatch', [certificate, alias], [certificate]);
      certificate = alias;
      imported = await ensureCertificateImported({
        org,
        connection,
        keystorePath: flags.keystore,
        alias,
        leaf,
        interactive: canGuide(this.jsonEnabled()),
        browser: flags.browser,
        timeoutMs: flags['import-timeout'].milliseconds,
        pollMs: pollMs(),
        say: (message) => this.log(message),
      });
      this.log(messages.getMessage('done.import', [alias, imported.detail]));
    }
    if (!certificate) throw messages.createError('error.NoCertificate');
    this.spinner.start(messages.getMessage('spinner', [certificate]));
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
        warn: (message) => this.warn(message),
      })
    ).finally(() => this.spinner.stop());
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

/** Real orgs: every 5 seconds; SF_IAMRA_POLL_MS lets simulator runs poll faster (as deploys do). */
function pollMs(): number | undefined {
  const fromEnv = Number(process.env.SF_IAMRA_POLL_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}
