import { Messages, SfProject } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { DEFAULT_CSR_CERTIFICATE_NAME } from '../../../shared/csr/constants.js';
import { completeCsr, type CsrCompleteResult } from '../../../shared/csr/completeCsr.js';
import { deployReporter, failDisplay, stagesOf } from '../../../formatters/deployReporter.js';
import { stageDisplay } from '../../../formatters/stageDisplay.js';
import { orgDeployFlags } from '../../../flags/deploy.js';
import { withDescriptions } from '../../../flags/describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.csr.complete');

export type IamraCsrCompleteResult = CsrCompleteResult;

const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

/** The steps completeCsr reports, in order (src/shared/csr/completeCsr.ts); `local` is before the first. */
const STAGES = ['local', 'check', 'deploy', 'confirm'] as const;

export default class IamraCsrComplete extends SfCommand<IamraCsrCompleteResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = withDescriptions(messages, {
    ...orgDeployFlags,
    'certificate-name': Flags.string({ summary: summary('certificate-name'), default: DEFAULT_CSR_CERTIFICATE_NAME }),
    certificate: Flags.string({ summary: summary('certificate'), required: true }),
    chain: Flags.string({ summary: summary('chain'), multiple: true }),
  });

  public async run(): Promise<IamraCsrCompleteResult> {
    const { flags } = await this.parse(IamraCsrComplete);
    // Resolved here, not by requiresProject, so that outside a project --json still answers JSON (as deploy start).
    const project = await SfProject.resolve();
    const org = flags['target-org'];
    const display = await stageDisplay(this, messages.getMessage('display.title'));
    display.open(stagesOf(STAGES, (id) => messages.getMessage(`stage.${id}`)));
    display.step('local');
    const result = await completeCsr({
      org,
      connection: org.getConnection(flags['api-version']),
      project,
      certificateName: flags['certificate-name'],
      certificateFile: flags.certificate,
      chainFiles: flags.chain,
      wait: flags.wait,
      progress: deployReporter(this, display),
    }).catch(failDisplay(display));
    display.done();
    this.table({
      title: messages.getMessage('done.chain', [result.chain.length]),
      data: result.chain.map((c, index) => ({ position: String(index + 1), subject: c.subject, issuer: c.issuer, validTo: c.validTo.slice(0, 10) })),
      columns: [
        { key: 'position', name: '#' },
        { key: 'subject', name: 'Subject' },
        { key: 'issuer', name: 'Issuer' },
        { key: 'validTo', name: 'Valid until' },
      ],
    });
    this.logSuccess(messages.getMessage('done.success', [result.certificateName, result.leaf.subject, result.confirmed.chainLength]));
    this.log(messages.getMessage('done.next', [result.certificateName]));
    return result;
  }

}
