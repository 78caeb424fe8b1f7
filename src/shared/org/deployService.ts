/*
 * `sf iamra deploy`: a selection of configure's stages (src/shared/configure/), so both commands read
 * and plan, lease the org, register undos and handle sessions, interruptions and conflicts alike.
 */
import type { Connection, Org, SfProject } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { configureRun } from '../configure/configure.js';
import type { ConfigurePlanSummary, ConfigureRequest } from '../configure/plan.js';
import type { RollbackOutcome, StageOutcome } from '../configure/stageRunner.js';
import type { Service } from '../metadata/constants.js';
import type { CredentialSetInput, ResolvedInputs } from '../metadata/inputs.js';
import type { DeployOutcome } from './deploy.js';
import type { ComponentFailure } from './deployStatus.js';
import { orgMessages } from './messages.js';
import type { AssignmentResult } from './permissionSetAssignment.js';
import type { PreflightResult } from './preflightChecks.js';
import type { PrincipalCredentialChange } from './principalCredential.js';
import type { OrgNames } from './types.js';

export type IamraDeployRequest = {
  org: Org;
  connection: Connection;
  project: SfProject;
  /** The same inputs as `sf iamra metadata generate` (ARNs, --service, names). */
  metadata: Omit<CredentialSetInput, 'service'> & { service: Service };
  /** Extra users to assign the permission set to; the running user is always included. */
  assignTo?: string[];
  /** Read the org and show the plan; change nothing (configure's --dry-run). */
  dryRun?: boolean;
  /** Deploy over components whose org content differs (as `sf project deploy start --ignore-conflicts`). */
  ignoreConflicts?: boolean;
  /** Undo every change when a step fails (default true, as configure). */
  rollback?: boolean;
  wait?: Duration;
  testLevel?: string;
  interrupted?: () => Error | undefined;
  retrySleep?: (ms: number) => Promise<void>;
  listener?: ConfigureRequest['listener'];
};

export type IamraDeployResult = {
  dryRun: boolean;
  /** The service the named credential points at when the run ended. */
  service?: Service;
  /** True when the org already held everything: no deploy, no write. */
  nothingToChange: boolean;
  plan?: ConfigurePlanSummary;
  /** The org's own checks (certificate, Legacy named credential), from the read. */
  preflight?: PreflightResult;
  /** Absent when nothing needed deploying (and on --dry-run). */
  deploy?: DeployOutcome;
  /** Absent when the role ARN was already in place (and on --dry-run). */
  principalCredential?: PrincipalCredentialChange;
  /** Absent when every user already held the permission set (and on --dry-run). */
  permissionSet?: AssignmentResult;
  stages: StageOutcome[];
  rollback: RollbackOutcome[];
  /** The generated files written and deployed by this run. */
  files: Array<{ type: string; fullName: string; path: string; status: string }>;
  warnings: string[];
};

/**
 * `sf iamra deploy`: configure's orchestration (read, plan, lease, undo, interruption) with deploy's
 * steps only: the changed components deployed straight to --service, the role ARN, the assignments.
 */
export async function deployIamra(request: IamraDeployRequest): Promise<IamraDeployResult> {
  const { service, ...credentialSet } = request.metadata;
  const { result, plan } = await configureRun({
    org: request.org,
    connection: request.connection,
    project: request.project,
    credentialSet,
    steps: 'deploy',
    finalService: service,
    assignTo: request.assignTo,
    rollback: request.rollback ?? true,
    dryRun: request.dryRun,
    ignoreConflicts: request.ignoreConflicts,
    wait: request.wait,
    testLevel: request.testLevel,
    interrupted: request.interrupted,
    retrySleep: request.retrySleep,
    listener: request.listener,
  });
  return {
    dryRun: result.dryRun,
    ...(result.service ? { service: result.service } : {}),
    nothingToChange: result.nothingToChange,
    ...(result.plan ? { plan: result.plan } : {}),
    ...(plan.orgChecks ? { preflight: plan.orgChecks } : {}),
    ...(plan.changes ? { deploy: plan.changes.deploy } : {}),
    ...(plan.principalCredential ? { principalCredential: plan.principalCredential } : {}),
    ...(plan.permissionSet ? { permissionSet: plan.permissionSet } : {}),
    stages: result.stages,
    rollback: result.rollback,
    files: plan.changes?.generate.files.map(({ type, fullName, path, status }) => ({ type, fullName, path, status })) ?? [],
    warnings: result.warnings,
  };
}

/** The org-side names of a resolved credential set. */
export function orgNamesOf({ names }: Pick<ResolvedInputs, 'names'>): OrgNames {
  return {
    namedCredential: names.namedCredential.value,
    externalCredential: names.externalCredential.value,
    principal: names.principal.value,
    permissionSet: names.permissionSet.value,
    signingCertificate: names.signingCertificate.value,
  };
}

/** Throws the deploy's failure with the exit code `sf project deploy start` would use; prints failures first. */
export function assertDeploySucceeded(deploy: DeployOutcome, printFailures?: (failures: ComponentFailure[]) => void): void {
  if (deploy.success) return;
  if (deploy.failures.length > 0) printFailures?.(deploy.failures);
  const error =
    deploy.exitCode === 69
      ? orgMessages.createError('error.DeployInProgress', [deploy.id], [deploy.id])
      : deploy.exitCode === 68
      ? orgMessages.createError('error.DeployPartial', [deploy.id, String(deploy.failures.length)])
      : deploy.status === 'Canceled'
      ? orgMessages.createError('error.DeployCanceled', [deploy.id])
      : deploy.failures.length === 0 && deploy.errorMessage
      ? orgMessages.createError('error.DeployAborted', [deploy.id, deploy.errorMessage], [deploy.deployUrl])
      : orgMessages.createError('error.DeployFailed', [deploy.id, String(deploy.failures.length)], [deploy.deployUrl]);
  error.exitCode = deploy.exitCode;
  error.setData({ deploy });
  throw error;
}
