import { Messages, SfProject } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { ACM_PCA, CSR_KEY_SIZES, DEFAULT_CSR_CERTIFICATE_NAME, DEFAULT_CSR_OUTPUT } from '../../../shared/csr/constants.js';
import { awsAccessFlags, awsAccessFromFlags } from '../../../flags/aws.js';
import { createSignedCsr, type CsrCreateSignedResult } from '../../../shared/csr/createSignedCsr.js';
import { deployReporter, failDisplay, stagesOf } from '../../../formatters/deployReporter.js';
import { stageDisplay } from '../../../formatters/stageDisplay.js';
import { orgDeployFlags } from '../../../flags/deploy.js';
import { withDescriptions } from '../../../flags/describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.csr.create');

export type IamraCsrCreateResult = CsrCreateSignedResult;

const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

/** The steps createSignedCsr reports, in order (src/shared/csr/createSignedCsr.ts): creating, then signing and completing. */
const CREATE_STAGES = ['check', 'deploy', 'retrieve'] as const;
const SIGN_STAGES = ['sign', 'check', 'deploy', 'confirm'] as const;

export default class IamraCsrCreate extends SfCommand<IamraCsrCreateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = withDescriptions(messages, {
    ...orgDeployFlags,
    'certificate-name': Flags.string({ summary: summary('certificate-name'), default: DEFAULT_CSR_CERTIFICATE_NAME }),
    'key-size': Flags.option({ summary: summary('key-size'), options: CSR_KEY_SIZES, default: '2048' as const })(),
    output: Flags.string({ summary: summary('output'), default: DEFAULT_CSR_OUTPUT }),
    force: Flags.boolean({ summary: summary('force') }),
    'certificate-authority-arn': Flags.string({ summary: summary('certificate-authority-arn'), helpGroup: 'AWS' }),
    'stack-name': Flags.string({ summary: summary('stack-name'), exclusive: ['certificate-authority-arn'], helpGroup: 'AWS' }),
    sign: Flags.boolean({ summary: summary('sign'), default: true, allowNo: true, helpGroup: 'AWS' }),
    'template-arn': Flags.string({ summary: summary('template-arn'), helpGroup: 'AWS' }),
    'validity-days': Flags.integer({ summary: summary('validity-days'), min: 1, default: ACM_PCA.validityDays, helpGroup: 'AWS' }),
    ...awsAccessFlags,
  });

  public async run(): Promise<IamraCsrCreateResult> {
    const { flags } = await this.parse(IamraCsrCreate);
    // Resolved here, not by requiresProject, so that outside a project --json still answers JSON (as deploy start).
    const project = await SfProject.resolve();
    const org = flags['target-org'];
    const signs = flags.sign && Boolean(flags['certificate-authority-arn'] ?? flags['stack-name']);
    const display = await stageDisplay(this, messages.getMessage('display.title'));
    display.open([
      ...stagesOf(CREATE_STAGES, (id) => messages.getMessage(`stage.${id}`)),
      ...(signs ? stagesOf(SIGN_STAGES, (id) => messages.getMessage(`stage.signed.${id}`)) : []),
    ]);
    const result = await createSignedCsr({
      org,
      connection: org.getConnection(flags['api-version']),
      project,
      certificateName: flags['certificate-name'],
      keySize: Number(flags['key-size']),
      output: flags.output,
      force: flags.force,
      certificateAuthorityArn: flags['certificate-authority-arn'],
      wait: flags.wait,
      signing: signs
        ? {
            certificateAuthorityArn: flags['certificate-authority-arn'],
            stackName: flags['stack-name'],
            aws: awsAccessFromFlags(flags),
            templateArn: flags['template-arn'],
            validityDays: flags['validity-days'],
          }
        : undefined,
      progress: deployReporter(this, display),
    }).catch(failDisplay(display));
    display.done();
    this.printResult(result);
    return result;
  }

  private printResult(result: IamraCsrCreateResult): void {
    this.log(
      messages.getMessage(result.reusedPendingCsr ? 'done.reused' : 'done.created', [result.certificateName, result.deploy?.id ?? ''])
    );
    if (result.csrFile) this.log(messages.getMessage('done.csr', [result.csrFile, result.csr.subject, result.csr.keySize]));
    if (result.signed && result.completed) {
      const { signed, completed } = result;
      this.logSuccess(messages.getMessage('done.signed', [signed.certificateAuthorityArn, signed.certificateArn, completed.leaf.validTo.slice(0, 10)]));
      this.logSuccess(messages.getMessage('done.completed', [result.certificateName, completed.confirmed.chainLength]));
      this.log(messages.getMessage('next.deploy', [result.nextSteps[0]]));
      return;
    }
    this.log('');
    this.log(messages.getMessage('next.title'));
    this.log(messages.getMessage('next.issue', [result.nextSteps[0]]));
    this.log(messages.getMessage('next.fetch', [result.nextSteps[1], result.nextSteps[2]]));
    this.log(messages.getMessage('next.complete', [result.nextSteps[3]]));
  }
}
