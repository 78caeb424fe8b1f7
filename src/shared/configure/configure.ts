/*
 * `sf iamra configure`: the whole Salesforce half of the AWS guide in one run. Reads the org and
 * plans, runs the stages that change what differs, and turns the plan into the result; on failure
 * or interruption the error carries the same result (stages and rollback) so --json users see what
 * happened. --dry-run stops after the plan.
 */
import { Messages, SfError } from '@salesforce/core';
import { removeTempDirs } from '../org/deployMetadata.js';
import { isSessionExpired, toSessionError } from '../org/orgErrors.js';
import { releaseLease } from './lease.js';
import type { ConfigurePlan, ConfigureRequest, ConfigureResult } from './plan.js';
import { certificateStages } from './certificateStages.js';
import { configureStages } from './stages.js';
import { runStages } from './stageRunner.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.configure');

/** `sf iamra deploy`'s stages: configure's without the checks and the switch to S3. */
const DEPLOY_STEPS: string[] = ['read-org', 'deploy-changes', 'role-arn', 'permission-set'];

/**
 * Replaces SfCommand's own SIGINT/SIGTERM handlers (they throw ExitError from inside the handler: a
 * stack trace, nothing undone): the running step finishes, the rest is undone, exit 130. Returns
 * the error the run ends with once a signal came.
 */
export function trapInterruptions(say: (signal: string) => void): () => Error | undefined {
  let interrupted: Error | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = interruption(signal);
      say(signal);
    });
  }
  return () => interrupted;
}

/** The error an interrupted run ends with (exit 130, as a shell reports a SIGINT). */
export function interruption(signal: string): SfError {
  return new SfError(messages.getMessage('error.Interrupted', [signal]), 'InterruptedError', [], 130);
}

export async function configure(request: ConfigureRequest): Promise<ConfigureResult> {
  return (await configureRun(request)).result;
}

/** configure, with the plan the stages filled (`sf iamra deploy` reports its deploy's components from it). */
export async function configureRun(request: ConfigureRequest): Promise<{ result: ConfigureResult; plan: ConfigurePlan }> {
  const plan: ConfigurePlan = { request, warnings: [], deployed: new Map() };
  const title = (id: string): string => messages.getMessage(`stage.${id}`);
  // --mode csr: the certificate is made and signed first; jks runs keep exactly configure's own stages.
  const all = [...(request.certificate ? certificateStages(title) : []), ...configureStages(title)];
  const selected = request.steps === 'deploy' ? all.filter((s) => DEPLOY_STEPS.includes(s.id)) : all;
  const stages = request.dryRun ? selected.filter((s) => s.id === 'aws-preflight' || s.id === 'read-org') : selected;
  let run;
  try {
    run = await runStages(plan, stages, request.listener, { rollback: request.rollback, interrupted: request.interrupted });
  } finally {
    // The lease goes whatever happened; a failure to release leaves a lease that expires by itself.
    await releaseLease(request.connection, plan.lease).catch((error: Error) =>
      request.listener?.warn?.(messages.getMessage('warning.LeaseNotReleased', [error.message]))
    );
    await removeTempDirs();
  }
  const conv = plan.convergence;
  const result: ConfigureResult = {
    succeeded: run.succeeded,
    dryRun: request.dryRun ?? false,
    nothingToChange: conv?.route === 'nothing',
    ...(conv
      ? {
          plan: {
            route: conv.route,
            rows: conv.rows,
            conflicts: conv.conflicts.map((c) => ({ type: c.type, fullName: c.fullName, diff: c.conflict?.diff ?? [] })),
            ...(conv.serviceNow ? { serviceBefore: conv.serviceNow } : {}),
          },
        }
      : {}),
    service: endService(plan, run.succeeded, request),
    stages: run.stages,
    rollback: run.rollback,
    names: plan.names,
    ...(plan.certificate ? { certificate: plan.certificate } : {}),
    preflight: plan.preflight && {
      assumedRoleArn: plan.preflight.assumedRoleArn,
      subjectArn: plan.preflight.subjectArn,
      expiration: plan.preflight.expiration,
    },
    deployIds: [plan.sts?.deploy.id, plan.changes?.deploy.id, plan.s3?.deploy.id].filter((id): id is string => Boolean(id)),
    principalCredential: plan.principalCredential && {
      action: plan.principalCredential.action,
      principalName: plan.principalCredential.principalName,
      roleArn: plan.principalCredential.roleArn,
    },
    permissionSet: plan.permissionSet && {
      permissionSet: plan.permissionSet.permissionSet,
      assigned: plan.permissionSet.created.map((a) => a.username),
      alreadyAssigned: plan.permissionSet.alreadyAssigned.map((a) => a.username),
    },
    smoke: plan.smoke && {
      passed: plan.smoke.passed,
      httpStatus: plan.smoke.httpStatus,
      assumedRoleArn: plan.smoke.assumedRoleArn,
      message: plan.smoke.message,
    },
    files: (plan.s3 ?? plan.changes ?? plan.sts)?.generate.files.map(({ type, fullName, path }) => ({ type, fullName, path })) ?? [],
    warnings: plan.warnings,
  };
  if (run.error) throw failure(run.error, result, request);
  return { result, plan };
}

/** Where the named credential points after the run: a rolled-back run left it where it was. */
function endService(plan: ConfigurePlan, succeeded: boolean, request: ConfigureRequest): ConfigureResult['service'] {
  const before = plan.convergence?.serviceNow;
  if (request.dryRun === true || (!succeeded && request.rollback)) return before;
  if (plan.s3) return 's3';
  if (plan.sts) return 'sts';
  const route = plan.convergence?.route;
  return plan.changes !== undefined || route === 'nothing' || route === 'in-place' ? request.finalService : before;
}

/** The stage's own error (its message and actions stay), with the run's result attached and a rollback note. */
function failure(error: Error, result: ConfigureResult, request: ConfigureRequest): SfError {
  const failedStage = result.stages.find((s) => s.status === 'failed');
  const undoFailed = result.rollback.filter((r) => r.status === 'failed');
  const leftAlone = result.rollback.filter((r) => r.status === 'left');
  const changed = result.rollback.some((r) => r.status === 'undone');
  const note = undoFailed.length
    ? messages.getMessage('rollback.incomplete', [undoFailed.map((r) => `${r.description}: ${r.error ?? ''}`).join('; ')])
    : leftAlone.length
    ? messages.getMessage('rollback.partlyLeft', [leftAlone.map((r) => r.note ?? r.description).join('; ')])
    : changed
    ? messages.getMessage('rollback.done')
    : result.rollback.length
    ? messages.getMessage('rollback.nothing')
    : '';
  const interrupted = error instanceof SfError && error.name === 'InterruptedError';
  // One line on the org's state for an interruption: where it was left, not a story.
  if (interrupted) {
    const state = !request.rollback
      ? messages.getMessage('interrupted.kept', [result.stages.filter((s) => s.status === 'succeeded').map((s) => s.id).join(', ')])
      : undoFailed.length
      ? messages.getMessage('interrupted.partial', [undoFailed.map((r) => r.description).join('; ')])
      : messages.getMessage('interrupted.asFound');
    const stopped = new SfError(`${error.message} ${state}`, error.name, [], 130);
    stopped.setData({ configure: result });
    return stopped;
  }
  const wrapped = isSessionExpired(error) ? sessionError(error, request, result) : SfError.wrap(error);
  wrapped.message = messages.getMessage('error.StageFailed', [failedStage?.title ?? '?', wrapped.message]) + (note ? `\n${note}` : '');
  wrapped.setData({ ...(typeof wrapped.data === 'object' && wrapped.data ? wrapped.data : {}), configure: result });
  return wrapped;
}

/** The session ended and could not be renewed: say to log in again, and what this run changed that is still in place. */
function sessionError(error: Error, request: ConfigureRequest, result: ConfigureResult): SfError {
  const username = request.org.getUsername() ?? request.connection.getUsername() ?? '';
  const stillChanged = result.rollback.filter((r) => r.status === 'failed').map((r) => r.description);
  return toSessionError(error, username, stillChanged) as SfError;
}
