import { Messages, SfProject, type Org } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { configure, interruption } from '../../shared/configure/configure.js';
import type { ConfigureResult } from '../../shared/configure/plan.js';
import { SERVICES } from '../../shared/metadata/constants.js';
import { credentialSetFlags, credentialSetInputFromFlags } from '../../flags/credentialSet.js';
import { deployFlags } from '../../flags/deploy.js';
import { checkRequestFromFlags, preflightFlags } from '../../flags/rolesAnywhere.js';
import { DEFAULT_DURATION_SECONDS } from '../../shared/rolesanywhere/constants.js';
import { canGuide, guidedImportFlags } from '../../flags/guidedImport.js';
import { type PromptingCommand, secretRoutesFromFlags } from '../../flags/secrets.js';
import { importKeystoreCertificate, importPollMs } from '../../shared/import/guidedImport.js';
import { importMessages } from '../../shared/import/messages.js';
import { secretAsker } from '../../shared/secrets.js';
import { deployProgressText } from '../../formatters/deployReporter.js';
import { deployErrorCodes, rolesAnywhereEnvSection } from '../../flags/helpSections.js';
import { withDescriptions } from '../../flags/describe.js';
import { requireArnSources } from '../../flags/aws.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.configure');

type GuidedImportFlags = {
  'target-org': Org;
  'api-version'?: string;
  keystore: string;
  'keystore-password-file'?: string;
  'certificate-name'?: string;
  browser: boolean;
  'import-timeout': Duration;
};

export default class IamraConfigure extends SfCommand<ConfigureResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly envVariablesSection = rolesAnywhereEnvSection;
  public static readonly errorCodes = deployErrorCodes;

  public static readonly flags = withDescriptions(messages, {
    ...deployFlags,
    ...credentialSetFlags,
    'final-service': Flags.option({
      summary: messages.getMessage('flags.final-service.summary'),
      options: SERVICES,
      default: 's3' as const,
    })(),
    rollback: Flags.boolean({ summary: messages.getMessage('flags.rollback.summary'), default: true, allowNo: true }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary') }),
    'ignore-conflicts': Flags.boolean({ char: 'c', summary: messages.getMessage('flags.ignore-conflicts.summary') }),
    preflight: Flags.boolean({ summary: messages.getMessage('flags.preflight.summary'), helpGroup: 'PREFLIGHT' }),
    ...preflightFlags,
    ...guidedImportFlags,
  });

  public async run(): Promise<ConfigureResult> {
    const { flags } = await this.parse(IamraConfigure);
    requireArnSources(flags);
    // Resolved here, not by requiresProject, so that outside a project --json still answers JSON (as deploy start).
    const project = await SfProject.resolve();
    if (flags.preflight && !flags.certificate && !flags.pkcs12 && !flags.keystore) {
      throw messages.createError('error.PreflightNeedsCertificate');
    }
    const org = flags['target-org'];
    // Guided keystore import (issue 12): with --keystore, the certificate is in the org before configure starts.
    if (flags.keystore) await this.guideImport({ ...flags, keystore: flags.keystore }, this);
    let interrupted: Error | undefined;
    // SfCommand's own signal handlers throw ExitError from inside the handler (a stack trace, nothing
    // undone); configure's replace them: the running step finishes, the rest is undone, exit 130.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => {
        if (interrupted) return;
        interrupted = interruption(signal);
        this.logToStderr(messages.getMessage('interrupting', [signal]));
      });
    }
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
      dryRun: flags['dry-run'],
      ignoreConflicts: flags['ignore-conflicts'],
      wait: flags.wait,
      testLevel: flags['test-level'],
      interrupted: () => interrupted,
      listener: {
        plan: (rows) => {
          this.spinner.stop();
          this.table({
            data: rows.map((r) => ({ item: r.item, name: r.name, now: r.now, wanted: r.wanted, action: r.action })),
            columns: [
              { key: 'item', name: 'Item' },
              { key: 'name', name: 'Name' },
              { key: 'now', name: 'Org now' },
              { key: 'wanted', name: 'Wanted' },
              { key: 'action', name: 'Action' },
            ],
            title: messages.getMessage('plan.title'),
          });
        },
        stageStarted: (stage) => this.spinner.start(stage.title),
        stageFinished: (outcome) => {
          if (outcome.status === 'skipped') this.log(messages.getMessage('stage.skipped', [outcome.title]));
          else this.spinner.stop(outcome.status);
        },
        rollbackStarted: (count) => count > 0 && this.log(messages.getMessage('rollback.started', [count])),
        undoFinished: (undo) =>
          this.log(
            undo.status === 'failed'
              ? messages.getMessage('rollback.failed', [undo.description, undo.error ?? ''])
              : messages.getMessage(`rollback.${undo.status}`, [undo.description, undo.note ?? ''])
          ),
        warn: (message) => this.warn(message),
        deployProgress: (p) => (this.spinner.status = deployProgressText(p)),
      },
    });
    this.report(result, org.getUsername() ?? '');
    return result;
  }

  private async guideImport(flags: GuidedImportFlags, command: PromptingCommand): Promise<void> {
    const org = flags['target-org'];
    const imported = await importKeystoreCertificate({
      org,
      connection: org.getConnection(flags['api-version']),
      keystorePath: flags.keystore,
      certificateName: flags['certificate-name'],
      askSecret: secretAsker(secretRoutesFromFlags(flags, command)),
      interactive: canGuide(this.jsonEnabled()),
      browser: flags.browser,
      timeoutMs: flags['import-timeout'].milliseconds,
      pollMs: importPollMs(),
      say: (message) => this.log(message),
    });
    this.log(importMessages.getMessage('done.present', [imported.certificate, imported.detail]));
  }

  private report(result: ConfigureResult, username: string): void {
    if (result.dryRun) {
      for (const c of result.plan?.conflicts ?? []) this.warn(messages.getMessage('plan.conflict', [c.type, c.fullName, c.diff.join('\n')]));
      this.log(messages.getMessage('done.dryRun'));
      return;
    }
    if (result.nothingToChange) this.log(messages.getMessage('done.nothing'));
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
