import { Messages, SfProject } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { configure } from '../../shared/configure/configure.js';
import type { ConfigureResult } from '../../shared/configure/plan.js';
import { SERVICES } from '../../shared/metadata/constants.js';
import { credentialSetFlags, credentialSetInputFromFlags } from '../../flags/credentialSet.js';
import { deployFlags } from '../../flags/deploy.js';
import { checkRequestFromFlags, preflightFlags } from '../../flags/rolesAnywhere.js';
import { DEFAULT_DURATION_SECONDS } from '../../shared/rolesanywhere/constants.js';
import { deployProgressText } from '../../formatters/deployReporter.js';
import { deployErrorCodes, rolesAnywhereEnvSection } from '../../flags/helpSections.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.configure');

export default class IamraConfigure extends SfCommand<ConfigureResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly envVariablesSection = rolesAnywhereEnvSection;
  public static readonly errorCodes = deployErrorCodes;

  public static readonly flags = {
    ...deployFlags,
    ...credentialSetFlags,
    'final-service': Flags.option({
      summary: messages.getMessage('flags.final-service.summary'),
      options: SERVICES,
      default: 's3' as const,
    })(),
    rollback: Flags.boolean({ summary: messages.getMessage('flags.rollback.summary'), default: true, allowNo: true }),
    preflight: Flags.boolean({ summary: messages.getMessage('flags.preflight.summary'), helpGroup: 'PREFLIGHT' }),
    ...preflightFlags,
  };

  public async run(): Promise<ConfigureResult> {
    const { flags } = await this.parse(IamraConfigure);
    // Resolved here, not by requiresProject, so that outside a project --json still answers JSON (as deploy start).
    const project = await SfProject.resolve();
    if (flags.preflight && !flags.certificate && !flags.pkcs12 && !flags.keystore) {
      throw messages.createError('error.PreflightNeedsCertificate');
    }
    const org = flags['target-org'];
    const result = await configure({
      org,
      connection: org.getConnection(flags['api-version']),
      project,
      credentialSet: credentialSetInputFromFlags(flags),
      preflight: flags.preflight
        ? checkRequestFromFlags({ ...flags, 'session-duration': flags['sts-duration'] ?? DEFAULT_DURATION_SECONDS }, this)
        : undefined,
      assignTo: flags['assign-to'],
      finalService: flags['final-service'],
      rollback: flags.rollback,
      wait: flags.wait,
      testLevel: flags['test-level'],
      listener: {
        stageStarted: (stage) => this.spinner.start(stage.title),
        stageFinished: (outcome) => {
          if (outcome.status === 'skipped') this.log(messages.getMessage('stage.skipped', [outcome.title]));
          else this.spinner.stop(outcome.status);
        },
        rollbackStarted: (count) => count > 0 && this.log(messages.getMessage('rollback.started', [count])),
        undoFinished: (undo) =>
          this.log(
            undo.status === 'undone'
              ? messages.getMessage('rollback.undone', [undo.description])
              : messages.getMessage('rollback.failed', [undo.description, undo.error ?? ''])
          ),
        warn: (message) => this.warn(message),
        deployProgress: (p) => (this.spinner.status = deployProgressText(p)),
      },
    });
    this.report(result, org.getUsername() ?? '');
    return result;
  }

  private report(result: ConfigureResult, username: string): void {
    this.logSuccess(messages.getMessage('done.title', [username]));
    if (result.smoke) this.log(messages.getMessage('done.smoke', [result.smoke.httpStatus, result.smoke.assumedRoleArn]));
    if (result.names && result.service) this.log(messages.getMessage('done.service', [result.names.namedCredential, result.service]));
    this.table({
      data: result.stages.map((s) => ({ step: s.title, status: s.status })),
      columns: [
        { key: 'step', name: 'Step' },
        { key: 'status', name: 'Status' },
      ],
    });
    this.log(messages.getMessage('done.next'));
  }
}
