import { Messages, SfProject, type Org } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { configure, trapInterruptions } from '../../shared/configure/configure.js';
import type { ConfigureResult } from '../../shared/configure/plan.js';
import { SERVICES } from '../../shared/metadata/constants.js';
import { DEFAULT_CSR_CERTIFICATE_NAME } from '../../shared/csr/constants.js';
import { credentialSetFlags, credentialSetInputFromFlags } from '../../flags/credentialSet.js';
import { awsAccessFromFlags } from '../../flags/aws.js';
import { deployFlags, planFlags, planOptionsFromFlags } from '../../flags/deploy.js';
import { checkRequestFromFlags, preflightFlags } from '../../flags/rolesAnywhere.js';
import { DEFAULT_DURATION_SECONDS } from '../../shared/rolesanywhere/constants.js';
import { guidedImportFlags, guidedImportSettings } from '../../flags/guidedImport.js';
import { secretRoutesFromFlags } from '../../flags/secrets.js';
import { importKeystoreCertificate, planKeystoreImport } from '../../shared/import/guidedImport.js';
import { importMessages } from '../../shared/import/messages.js';
import type { SecretAsker } from '../../shared/keystore/intake.js';
import { askCredentialSecretsFirst, askingOnce, secretAsker } from '../../shared/secrets.js';
import { configureListener } from '../../formatters/configureReporter.js';
import { failDisplay } from '../../formatters/deployReporter.js';
import { stageDisplay } from '../../formatters/stageDisplay.js';
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
    ...planFlags,
    ...credentialSetFlags,
    'final-service': Flags.option({
      summary: messages.getMessage('flags.final-service.summary'),
      options: SERVICES,
      default: 's3' as const,
    })(),
    mode: Flags.option({
      summary: messages.getMessage('flags.mode.summary'),
      description: messages.getMessage('flags.mode.description'),
      options: ['jks', 'csr'] as const,
      default: 'jks' as const,
    })(),
    rollback: Flags.boolean({ summary: messages.getMessage('flags.rollback.summary'), default: true, allowNo: true }),
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
    const csrMode = flags.mode === 'csr';
    if (csrMode && flags.keystore) throw messages.createError('error.CsrModeWithKeystore');
    if (csrMode && !flags['stack-name']) throw messages.createError('error.CsrModeNeedsStack');
    // CSR mode's certificate is the CA-signed one Salesforce keeps the key of (csr create's default name).
    const certificateName = flags['certificate-name'] ?? (csrMode ? DEFAULT_CSR_CERTIFICATE_NAME : undefined);
    // Every secret is asked before the first stage, and once: the guided import and the pre-flight may both need the keystore password.
    const askSecret = askingOnce(secretAsker(secretRoutesFromFlags(flags, this)));
    // Guided keystore import (issue 12): with --keystore, the certificate is in the org before configure starts.
    const certificateToImport = flags.keystore ? await this.guideImport({ ...flags, keystore: flags.keystore }, askSecret) : undefined;
    const preflight = flags.preflight
      ? checkRequestFromFlags({ ...flags, 'session-duration': flags['sts-duration'] ?? DEFAULT_DURATION_SECONDS }, this, askSecret)
      : undefined;
    if (preflight && preflight.credential.kind !== 'material') await askCredentialSecretsFirst(preflight.credential, askSecret);
    const display = await stageDisplay(this, messages.getMessage('display.title'));
    const interrupted = trapInterruptions((signal) => this.logToStderr(messages.getMessage('interrupting', [signal])));
    const result = await configure({
      org,
      connection: org.getConnection(flags['api-version']),
      project,
      credentialSet: credentialSetInputFromFlags({ ...flags, 'certificate-name': certificateName }),
      certificate: csrMode
        ? {
            certificateName: certificateName!,
            keySize: 2048,
            signing: { stackName: flags['stack-name'], aws: awsAccessFromFlags(flags) },
          }
        : undefined,
      ...(certificateToImport ? { certificateToImport } : {}),
      preflight,
      ...planOptionsFromFlags(flags),
      finalService: flags['final-service'],
      rollback: flags.rollback,
      interrupted,
      listener: configureListener(this, display),
    }).catch(failDisplay(display));
    display.done();
    this.report(result, org.getUsername() ?? '');
    return result;
  }

  /** The guided import; with --dry-run only what it would do. Returns the certificate still to import, if any. */
  private async guideImport(flags: GuidedImportFlags & { 'dry-run': boolean }, askSecret: SecretAsker): Promise<string | undefined> {
    const org = flags['target-org'];
    const request = {
      org,
      connection: org.getConnection(flags['api-version']),
      keystorePath: flags.keystore,
      certificateName: flags['certificate-name'],
      askSecret,
      ...guidedImportSettings(flags, this),
    };
    const outcome = flags['dry-run'] ? await planKeystoreImport(request) : await importKeystoreCertificate(request);
    if (outcome.action === 'to-import') {
      this.log(importMessages.getMessage('done.toImport', [outcome.certificate, outcome.keystore]));
      return outcome.certificate;
    }
    this.log(importMessages.getMessage('done.present', [outcome.certificate, outcome.detail]));
    return undefined;
  }

  private report(result: ConfigureResult, username: string): void {
    if (result.dryRun) {
      for (const c of result.plan?.conflicts ?? []) this.warn(messages.getMessage('plan.conflict', [c.type, c.fullName, c.diff.join('\n')]));
      this.log(messages.getMessage('done.dryRun'));
      return;
    }
    const cert = result.certificate;
    if (cert?.action === 'kept') this.log(messages.getMessage('done.certificateKept', [cert.certificateName, cert.validTo?.slice(0, 10) ?? '?']));
    if (cert?.action === 'signed') {
      this.log(messages.getMessage('done.certificateSigned', [cert.certificateName, cert.certificateArn, cert.validTo?.slice(0, 10) ?? '?']));
    }
    if (result.nothingToChange) this.log(messages.getMessage('done.nothing'));
    this.logSuccess(messages.getMessage('done.title', [username]));
    // The S3 check proves authentication without naming a role; only GetCallerIdentity answers with one.
    if (result.smoke) {
      const { httpStatus, assumedRoleArn, message } = result.smoke;
      this.log(assumedRoleArn ? messages.getMessage('done.smoke', [httpStatus, assumedRoleArn]) : message);
    }
    if (result.names && result.service) this.log(messages.getMessage('done.service', [result.names.namedCredential, result.service]));
    // No table of the stages here: the stage display above has shown each one and how it ended.
    this.log(messages.getMessage('done.next'));
  }
}
