/*
 * configure's stages, in the order of the AWS guide's steps 1-C and 3-D to 3-F. Each reads the plan,
 * calls one service, records the answer on the plan, and says how to undo what it changed.
 */
/* eslint-disable no-param-reassign -- adding to the plan is what a stage is for */
import { resolveArnInput, type ResolvedArns } from '../aws/arnResolver.js';
import { type PreparedCredentialSet, prepareCredentialSet, writePreparedMetadata } from '../metadata/generate.js';
import { resolveOutputLocation } from '../metadata/packageDir.js';
import type { Service } from '../metadata/constants.js';
import { deploySource } from '../org/deploy.js';
import { assertDeploySucceeded, orgNamesOf } from '../org/deployService.js';
import { assertAllAssigned, assignPermissionSet, undoAssignments } from '../org/permissionSetAssignment.js';
import { runPreflightChecks } from '../org/preflightChecks.js';
import { setPrincipalRoleArn, undoPrincipalRoleArn } from '../org/principalCredential.js';
import { runSmokeTest, smokeFailure } from '../org/smokeTest.js';
import { verifyRolesAnywhere } from '../rolesanywhere/createSession.js';
import { runningUsername } from '../org/runningUser.js';
import { restoreOrgComponents, snapshotOrgComponents } from './orgSnapshot.js';
import type { ConfigurePlan, ServiceDeploy } from './plan.js';
import { restoreFiles, snapshotFiles } from './projectFiles.js';
import type { Stage, Undo } from './stageRunner.js';

export type ConfigureStageId =
  | 'aws-preflight'
  | 'org-checks'
  | 'deploy-sts'
  | 'role-arn'
  | 'permission-set'
  | 'smoke-test'
  | 'switch-to-s3';

/** Titles come from the command's messages; the ids are stable for --json. */
export function configureStages(title: (id: ConfigureStageId) => string): Array<Stage<ConfigurePlan>> {
  const stage = (id: ConfigureStageId, rest: Omit<Stage<ConfigurePlan>, 'id' | 'title'>): Stage<ConfigurePlan> => ({
    id,
    title: title(id),
    ...rest,
  });
  return [
    stage('aws-preflight', {
      applies: (plan) => plan.request.preflight !== undefined,
      run: async (plan) => {
        plan.preflight = await verifyRolesAnywhere({
          ...plan.request.preflight!,
          arns: await arnsOf(plan),
          onWarning: (w) => warn(plan, w),
        });
      },
    }),
    stage('org-checks', {
      run: async (plan) => {
        // Validates every input offline first: a bad ARN or name stops here, before the org is touched.
        const prepared = await preparedFor(plan, 'sts');
        plan.names = orgNamesOf(prepared.inputs);
        plan.roleArn = prepared.roleArn;
        prepared.warnings.forEach((w) => warn(plan, w));
        plan.orgChecks = await runPreflightChecks(plan.request.connection, { names: plan.names });
        plan.orgChecks.warnings.forEach((w) => warn(plan, w));
      },
    }),
    stage('deploy-sts', {
      run: async (plan) => {
        const { connection } = plan.request;
        const names = plan.names!;
        plan.orgBefore = await snapshotOrgComponents(connection, [
          { type: 'ExternalCredential', fullName: names.externalCredential },
          { type: 'NamedCredential', fullName: names.namedCredential },
          { type: 'PermissionSet', fullName: names.permissionSet },
        ]);
        const orgBefore = plan.orgBefore;
        const { result, undo } = await generateAndDeploy(plan, 'sts');
        plan.sts = result;
        return [
          ...undo,
          { description: describeOrgRestore(orgBefore), run: () => restoreOrgComponents(connection, orgBefore) },
        ];
      },
    }),
    stage('role-arn', {
      run: async (plan) => {
        const names = plan.names!;
        const change = await setPrincipalRoleArn(plan.request.connection, {
          externalCredential: names.externalCredential,
          principalName: names.principal,
          roleArn: plan.roleArn!,
        });
        plan.principalCredential = change;
        if (change.action === 'unchanged') return [];
        return [
          {
            description: `${change.action === 'created' ? 'remove' : 'restore'} the role ARN of principal ${change.principalName}`,
            run: () => undoPrincipalRoleArn(plan.request.connection, change),
          },
        ];
      },
    }),
    stage('permission-set', {
      run: async (plan) => {
        const username = runningUsername(plan.request.org, plan.request.connection);
        const result = await assignPermissionSet(plan.request.connection, {
          permissionSet: plan.names!.permissionSet,
          usernames: [username, ...(plan.request.assignTo ?? [])],
        });
        plan.permissionSet = result;
        const undo: Undo[] = result.created.length
          ? [
              {
                description: `remove the ${result.permissionSet} assignment of ${result.created.map((a) => a.username).join(', ')}`,
                run: () => undoAssignments(plan.request.connection, result),
              },
            ]
          : [];
        try {
          assertAllAssigned(result);
        } catch (error) {
          // Assignments that did succeed must still be undone.
          await Promise.all(undo.map((u) => u.run()));
          throw error;
        }
        return undo;
      },
    }),
    stage('smoke-test', {
      run: async (plan) => {
        plan.smoke = await runSmokeTest(plan.request.connection, { namedCredential: plan.names!.namedCredential });
        if (!plan.smoke.passed) throw smokeFailure(plan.smoke);
      },
    }),
    stage('switch-to-s3', {
      applies: (plan) => plan.request.finalService === 's3',
      run: async (plan) => {
        // The org side of this deploy is undone by deploy-sts's restore of the original components.
        const { result, undo } = await generateAndDeploy(plan, 's3');
        plan.s3 = result;
        return undo;
      },
    }),
  ];
}

/** Writes the set for one service into the project and deploys exactly those files. */
async function generateAndDeploy(
  plan: ConfigurePlan,
  service: Service
): Promise<{ result: ServiceDeploy; undo: Undo[] }> {
  const { request } = plan;
  const projectDir = request.project.getPath();
  const prepared = await preparedFor(plan, service);
  const location = await resolveOutputLocation(projectDir);
  const before = await snapshotFiles(prepared.files.map((f) => `${location.packageDir}/${f.relativePath}`));
  const undo: Undo[] = [{ description: `restore the project's ${service} source files`, run: () => restoreFiles(before) }];
  try {
    // force: configure owns these files; the user's own edits are kept in `before` and restored on failure.
    const generate = await writePreparedMetadata(prepared, { projectDir, force: true });
    const deploy = await deploySource({
      org: request.org,
      connection: request.connection,
      project: request.project,
      paths: generate.files.map((f) => f.path),
      wait: request.wait,
      testLevel: request.testLevel,
      onProgress: request.listener?.deployProgress,
    });
    assertDeploySucceeded(deploy, request.listener?.deployFailures);
    return { result: { generate, deploy }, undo };
  } catch (error) {
    await restoreFiles(before);
    throw error;
  }
}

/** The run's ARNs, resolved once (reading --stack-outputs once) by whichever stage needs them first. */
async function arnsOf(plan: ConfigurePlan): Promise<ResolvedArns> {
  plan.arns ??= await resolveArnInput(plan.request.credentialSet);
  return plan.arns;
}

/** Each service's credential set, validated and built once per run. */
async function preparedFor(plan: ConfigurePlan, service: Service): Promise<PreparedCredentialSet> {
  plan.prepared ??= {};
  plan.prepared[service] ??= await prepareCredentialSet({ ...plan.request.credentialSet, arns: await arnsOf(plan), service });
  return plan.prepared[service];
}

function describeOrgRestore(snapshot: { existing: Array<{ fullName: string }>; missing: Array<{ fullName: string }> }): string {
  const list = (items: Array<{ fullName: string }>): string => items.map((c) => c.fullName).join(', ');
  return [
    snapshot.existing.length ? `redeploy the org's previous ${list(snapshot.existing)}` : '',
    snapshot.missing.length ? `delete ${list(snapshot.missing)} from the org` : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

function warn(plan: ConfigurePlan, message: string): void {
  plan.warnings.push(message);
  plan.request.listener?.warn?.(message);
}
