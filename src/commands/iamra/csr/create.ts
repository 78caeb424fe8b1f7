import { Messages, SfProject } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { CSR_KEY_SIZES, DEFAULT_CSR_CERTIFICATE_NAME, DEFAULT_CSR_OUTPUT } from '../../../shared/csr/constants.js';
import { createCsr, type CsrCreateResult } from '../../../shared/csr/createCsr.js';
import { deployReporter, failSpinner } from '../../../formatters/deployReporter.js';
import { orgDeployFlags } from '../../../flags/deploy.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.csr.create');

export type IamraCsrCreateResult = CsrCreateResult;

const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

export default class IamraCsrCreate extends SfCommand<IamraCsrCreateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    ...orgDeployFlags,
    'certificate-name': Flags.string({ summary: summary('certificate-name'), default: DEFAULT_CSR_CERTIFICATE_NAME }),
    'key-size': Flags.option({ summary: summary('key-size'), options: CSR_KEY_SIZES, default: '2048' as const })(),
    output: Flags.string({ summary: summary('output'), default: DEFAULT_CSR_OUTPUT }),
    force: Flags.boolean({ summary: summary('force') }),
    'certificate-authority-arn': Flags.string({ summary: summary('certificate-authority-arn') }),
  };

  public async run(): Promise<IamraCsrCreateResult> {
    const { flags } = await this.parse(IamraCsrCreate);
    // Resolved here, not by requiresProject, so that outside a project --json still answers JSON (as deploy start).
    const project = await SfProject.resolve();
    const org = flags['target-org'];
    this.spinner.start(messages.getMessage('stage.check'));
    const result = await createCsr({
      org,
      connection: org.getConnection(flags['api-version']),
      project,
      certificateName: flags['certificate-name'],
      keySize: Number(flags['key-size']),
      output: flags.output,
      force: flags.force,
      certificateAuthorityArn: flags['certificate-authority-arn'],
      wait: flags.wait,
      progress: deployReporter(this, (stage) => messages.getMessage(`stage.${stage}`)),
    }).catch(failSpinner(this));
    this.spinner.stop();
    this.printResult(result);
    return result;
  }

  private printResult(result: IamraCsrCreateResult): void {
    this.log(
      messages.getMessage(result.reusedPendingCsr ? 'done.reused' : 'done.created', [result.certificateName, result.deploy?.id ?? ''])
    );
    this.log(messages.getMessage('done.csr', [result.csrFile, result.csr.subject, result.csr.keySize]));
    this.log('');
    this.log(messages.getMessage('next.title'));
    this.log(messages.getMessage('next.issue', [result.nextSteps[0]]));
    this.log(messages.getMessage('next.fetch', [result.nextSteps[1], result.nextSteps[2]]));
    this.log(messages.getMessage('next.complete', [result.nextSteps[3]]));
  }
}
