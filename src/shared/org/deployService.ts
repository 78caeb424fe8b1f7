/*
 * `sf iamra deploy` after generation: preflight -> deploy the generated files -> set the principal's
 * role ARN -> assign the permission set. Each step is its own exported function in src/shared/org/; this
 * composes them for the command and reports everything each step changed.
 */
import type { Connection, Org, SfProject } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import {
  generateMetadata,
  type MetadataGenerateRequest,
  type MetadataGenerateResult,
  planMetadata,
} from '../metadata/generate.js';
import type { ResolvedInputs } from '../metadata/inputs.js';
import { withScratchCopy } from '../metadata/scratchCopy.js';
import { type DeployOutcome, type DeployProgress, deploySource } from './deploy.js';
import type { ComponentFailure } from './deployStatus.js';
import { orgMessages } from './messages.js';
import { assertAllAssigned, assignPermissionSet, type AssignmentResult } from './permissionSetAssignment.js';
import { type PreflightResult, runPreflightChecks } from './preflightChecks.js';
import { type PrincipalCredentialChange, setPrincipalRoleArn } from './principalCredential.js';
import { type ChangeLog, withSessionCheck } from './orgErrors.js';
import type { OrgNames, OrgProgress } from './types.js';
import { runningUsername } from './runningUser.js';

export type GeneratedSetDeployRequest = {
  org: Org;
  connection: Connection;
  project: SfProject;
  /** The generated source files (metadata generate's output for the chosen --service). */
  paths: string[];
  /** When `paths` are a scratch copy (dry run), the project files they stand for; results name these. */
  projectPaths?: string[];
  names: OrgNames;
  roleArn: string;
  /** Extra users to assign the permission set to; the running user is always included. */
  assignTo?: string[];
  dryRun?: boolean;
  /** Deploy over components whose org content differs (as `sf project deploy start --ignore-conflicts`). */
  ignoreConflicts?: boolean;
  wait?: Duration;
  testLevel?: string;
  progress?: OrgProgress & {
    deploy?: (progress: DeployProgress) => void;
    /** Called with the component failures before the deploy error is thrown, to print them as a table. */
    failures?: (failures: ComponentFailure[]) => void;
  };
  now?: Date;
  retrySleep?: (ms: number) => Promise<void>;
};

export type GeneratedSetDeployResult = {
  dryRun: boolean;
  preflight: PreflightResult;
  deploy: DeployOutcome;
  /** Absent on --dry-run. */
  principalCredential?: PrincipalCredentialChange;
  /** Absent on --dry-run. */
  permissionSet?: AssignmentResult;
  warnings: string[];
};

export type IamraDeployRequest = Omit<GeneratedSetDeployRequest, 'paths' | 'projectPaths' | 'names' | 'roleArn'> & {
  /** The same inputs as `sf iamra metadata generate` (ARNs, --service, names); projectDir defaults to the project's. */
  metadata: MetadataGenerateRequest;
};

export type IamraDeployResult = GeneratedSetDeployResult & {
  service: string;
  /** The generated files that were deployed (regenerated first; unchanged files stay as they are; on --dry-run, none is written). */
  files: Array<{ type: string; fullName: string; path: string; status: string }>;
};

/**
 * `sf iamra deploy`: generate the set for the chosen service (idempotent), then deploy exactly those
 * files. A dry run writes nothing into the project: it validates a scratch copy of the same files.
 */
export async function deployIamra(request: IamraDeployRequest): Promise<IamraDeployResult> {
  const metadata = { projectDir: request.project.getPath(), ...request.metadata };
  if (!request.dryRun) {
    const generated = await generateMetadata(metadata);
    return deployGenerated(request, generated, { paths: generated.files.map((f) => f.path) });
  }
  const planned = await planMetadata(metadata);
  return withScratchCopy(planned.files, (copy) =>
    deployGenerated(request, planned.result, { paths: copy.paths, projectPaths: planned.files.map((f) => f.path) })
  );
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

async function deployGenerated(
  request: IamraDeployRequest,
  generated: MetadataGenerateResult,
  source: Pick<GeneratedSetDeployRequest, 'paths' | 'projectPaths'>
): Promise<IamraDeployResult> {
  generated.warnings.forEach((w) => request.progress?.warn?.(w));
  const result = await deployGeneratedSet({
    ...request,
    ...source,
    names: orgNamesOf(generated.inputs),
    roleArn: generated.inputs.roleArn.value,
  });
  return {
    service: generated.stage,
    files: generated.files.map(({ type, fullName, path, status }) => ({ type, fullName, path, status })),
    ...result,
    warnings: [...generated.warnings, ...result.warnings],
  };
}

/** Preflight, deploy the given files, set the role ARN and assign the permission set (the latter two not on --dry-run). */
export async function deployGeneratedSet(request: GeneratedSetDeployRequest): Promise<GeneratedSetDeployResult> {
  const username = runningUsername(request.org, request.connection);
  return withSessionCheck(username, (changed) => deploySteps(request, username, changed), { changes: !request.dryRun });
}

async function deploySteps(request: GeneratedSetDeployRequest, username: string, changed: ChangeLog): Promise<GeneratedSetDeployResult> {
  const { connection, names, progress } = request;
  const dryRun = request.dryRun ?? false;
  progress?.status?.('preflight');
  const preflight = await runPreflightChecks(connection, { names, now: request.now });
  preflight.warnings.forEach((w) => progress?.warn?.(w));
  progress?.status?.('deploy');
  const deploy = await deploySource({
    org: request.org,
    connection,
    project: request.project,
    paths: request.paths,
    projectPaths: request.projectPaths,
    dryRun,
    ignoreConflicts: request.ignoreConflicts,
    wait: request.wait,
    testLevel: request.testLevel,
    onProgress: progress?.deploy,
    retrySleep: request.retrySleep,
  });
  assertDeploySucceeded(deploy, progress?.failures);
  const result: GeneratedSetDeployResult = { dryRun, preflight, deploy, warnings: [...preflight.warnings] };
  if (dryRun) return result;
  const deployed = deploy.components.filter((c) => c.state !== 'Unchanged').map((c) => `${c.type} ${c.fullName}`);
  if (deployed.length) changed.push(orgMessages.getMessage('changed.deployed', [deployed.join(', '), deploy.id]));
  progress?.status?.('roleArn');
  result.principalCredential = await setPrincipalRoleArn(connection, {
    externalCredential: names.externalCredential,
    principalName: names.principal,
    roleArn: request.roleArn,
  });
  if (result.principalCredential.action !== 'unchanged') {
    changed.push(orgMessages.getMessage('changed.roleArn', [names.principal, request.roleArn]));
  }
  progress?.status?.('permissionSet');
  result.permissionSet = await assignPermissionSet(connection, {
    permissionSet: names.permissionSet,
    usernames: [username, ...(request.assignTo ?? [])],
  });
  if (result.permissionSet.created.length) {
    changed.push(orgMessages.getMessage('changed.assigned', [names.permissionSet, result.permissionSet.created.map((a) => a.username).join(', ')]));
  }
  assertAllAssigned(result.permissionSet);
  return result;
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
