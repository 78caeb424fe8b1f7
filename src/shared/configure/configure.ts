/*
 * `sf iamra configure`: the whole Salesforce half of the AWS guide in one run. Builds the plan, runs
 * the stages, and turns the plan into the result; on failure the error carries the same result
 * (stages and rollback) so --json users see what happened.
 */
import { Messages, SfError } from '@salesforce/core';
import { disposeSnapshot } from './orgSnapshot.js';
import type { ConfigurePlan, ConfigureRequest, ConfigureResult } from './plan.js';
import { configureStages } from './stages.js';
import { runStages } from './stageRunner.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.configure');

export async function configure(request: ConfigureRequest): Promise<ConfigureResult> {
  const plan: ConfigurePlan = { request, warnings: [] };
  const stages = configureStages((id) => messages.getMessage(`stage.${id}`));
  const run = await runStages(plan, stages, request.listener, { rollback: request.rollback });
  await disposeSnapshot(plan.orgBefore);
  const result: ConfigureResult = {
    succeeded: run.succeeded,
    service: endService(plan, run.succeeded, request.rollback),
    stages: run.stages,
    rollback: run.rollback,
    names: plan.names,
    preflight: plan.preflight && {
      assumedRoleArn: plan.preflight.assumedRoleArn,
      subjectArn: plan.preflight.subjectArn,
      expiration: plan.preflight.expiration,
    },
    deployIds: [plan.sts?.deploy.id, plan.s3?.deploy.id].filter((id): id is string => Boolean(id)),
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
    files: (plan.s3 ?? plan.sts)?.generate.files.map(({ type, fullName, path }) => ({ type, fullName, path })) ?? [],
    warnings: plan.warnings,
  };
  if (run.error) throw failure(run.error, result);
  return result;
}

/** Where the named credential points after the run: a rolled-back run left the org as it was. */
function endService(plan: ConfigurePlan, succeeded: boolean, rollback: boolean): ConfigureResult['service'] {
  if (!succeeded && rollback) return undefined;
  if (plan.s3) return 's3';
  return plan.sts ? 'sts' : undefined;
}

/** The stage's own error (its message and actions stay), with the run's result attached and a rollback note. */
function failure(error: Error, result: ConfigureResult): SfError {
  const failedStage = result.stages.find((s) => s.status === 'failed');
  const wrapped = SfError.wrap(error);
  const undoFailed = result.rollback.filter((r) => r.status === 'failed');
  const note = undoFailed.length
    ? messages.getMessage('rollback.incomplete', [undoFailed.map((r) => `${r.description}: ${r.error ?? ''}`).join('; ')])
    : result.rollback.length
    ? messages.getMessage('rollback.done')
    : '';
  wrapped.message = messages.getMessage('error.StageFailed', [failedStage?.title ?? '?', wrapped.message]) + (note ? `\n${note}` : '');
  wrapped.setData({ ...(typeof wrapped.data === 'object' && wrapped.data ? wrapped.data : {}), configure: result });
  return wrapped;
}
