/*
 * configure's stages. The first reads the org and plans (converge.ts); the rest change only what the
 * plan says differs. Through STS (the guide's steps 1-C and 3-D to 3-F) only when the external
 * credential itself changes; otherwise the change is made in place and checked on the service the
 * named credential ends on, so a working S3 configuration is never pointed at STS to test it.
 * Every undo is registered before its change starts, and checks the org before acting: it restores
 * only what is still as this run left it.
 */
/* eslint-disable no-param-reassign -- adding to the plan is what a stage is for */
import type { Connection } from '@salesforce/core';
import { resolveArnInput, type ResolvedArns } from '../aws/arnResolver.js';
import { type PreparedCredentialSet, prepareCredentialSet, writePreparedMetadata } from '../metadata/generate.js';
import { resolveOutputLocation } from '../metadata/packageDir.js';
import type { Service } from '../metadata/constants.js';
import { deploySource } from '../org/deploy.js';
import { cancelAndFollow, deployMetadataXml, retrieveComponents } from '../org/deployMetadata.js';
import { assertDeploySucceeded, orgNamesOf } from '../org/deployService.js';
import { runningUsername } from '../org/runningUser.js';
import { assertAllAssigned, assignPermissionSet } from '../org/permissionSetAssignment.js';
import { orgMessages } from '../org/messages.js';
import { getPrincipalCredential, setPrincipalRoleArn, undoPrincipalRoleArn } from '../org/principalCredential.js';
import { runS3Check } from '../org/s3Check.js';
import { runSmokeTest, smokeFailure } from '../org/smokeTest.js';
import { soqlString } from '../org/soql.js';
import { verifyRolesAnywhere } from '../rolesanywhere/createSession.js';
import { sameComponent } from '../org/deployCompare.js';
import { csrCertificateForPlan } from './certificateStages.js';
import { type ComponentPlan, componentKey, planConvergence } from './converge.js';
import { takeLease } from './lease.js';
import { managedComponents, readOrg } from './orgRead.js';
import type { ConfigurePlan, ServiceDeploy } from './plan.js';
import { restoreFiles, snapshotFiles } from './projectFiles.js';
import type { Stage, Undo, UndoFinding } from './stageRunner.js';

export type ConfigureStageId =
  | 'aws-preflight'
  | 'read-org'
  | 'deploy-sts'
  | 'deploy-changes'
  | 'role-arn'
  | 'permission-set'
  | 'smoke-test'
  | 'switch-to-s3'
  | 'verify';

/** How long a lease lasts beyond the longest the run may wait on its deploys. */
const LEASE_MARGIN_MINUTES = 10;

/** Titles come from the command's messages; the ids are stable for --json. */
export function configureStages(title: (id: ConfigureStageId) => string): Array<Stage<ConfigurePlan>> {
  const stage = (id: ConfigureStageId, rest: Omit<Stage<ConfigurePlan>, 'id' | 'title'>): Stage<ConfigurePlan> => ({
    id,
    title: title(id),
    ...rest,
  });
  const route = (plan: ConfigurePlan): string | undefined => plan.convergence?.route;
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
    stage('read-org', { run: readAndPlan }),
    stage('deploy-sts', {
      applies: (plan) => route(plan) === 'through-sts',
      run: async (plan, register) => {
        plan.sts = await generateAndDeploy(plan, 'sts', plan.convergence!.components, register);
      },
    }),
    stage('deploy-changes', {
      // deploy's steps have no STS route: a changed external credential is deployed in place too.
      applies: (plan) =>
        (route(plan) === 'in-place' || (plan.request.steps === 'deploy' && route(plan) === 'through-sts')) &&
        plan.convergence!.components.some((c) => c.action !== 'none'),
      run: async (plan, register) => {
        const changed = plan.convergence!.components.filter((c) => c.action !== 'none');
        plan.changes = await generateAndDeploy(plan, plan.request.finalService, changed, register);
      },
    }),
    stage('role-arn', {
      applies: (plan) => plan.convergence?.roleArn.action !== undefined && plan.convergence.roleArn.action !== 'none',
      run: async (plan, register) => {
        const names = plan.names!;
        const { connection } = plan.request;
        const ref = { externalCredential: names.externalCredential, principalName: names.principal };
        const wanted = plan.convergence!.roleArn.wanted;
        const previous = plan.convergence!.roleArn.current;
        register({
          description: previous ? `restore the role ARN of principal ${names.principal} (${previous})` : `remove the role ARN of principal ${names.principal}`,
          run: async (): Promise<UndoFinding> => {
            const now = await getPrincipalCredential(connection, ref);
            if (now.roleArn === previous || (!now.exists && !previous)) return notNeeded('the role ARN was not changed');
            if (now.roleArn !== wanted) return left(`the principal now holds ${now.roleArn ?? 'no role ARN'}, set by someone else`);
            await undoPrincipalRoleArn(connection, {
              ...ref,
              roleArn: wanted,
              ...(previous ? { action: 'replaced', previousRoleArn: previous } : { action: 'created' }),
            });
          },
        });
        plan.principalCredential = await setPrincipalRoleArn(connection, { ...ref, roleArn: wanted });
      },
    }),
    stage('permission-set', {
      applies: (plan) => (plan.convergence?.toAssign.length ?? 0) > 0,
      run: async (plan, register) => {
        const { connection } = plan.request;
        const permissionSet = plan.names!.permissionSet;
        const toAssign = plan.convergence!.toAssign;
        register({
          description: `remove the ${permissionSet} assignment of ${toAssign.join(', ')}`,
          // Read back rather than trust the insert's answers: an insert whose answer was lost may still have happened.
          run: async (): Promise<UndoFinding> => {
            const ids = await assignmentIds(connection, permissionSet, toAssign);
            if (ids.length === 0) return notNeeded('no assignment had been made');
            for (const id of ids) {
              // eslint-disable-next-line no-await-in-loop
              await connection.sobject('PermissionSetAssignment').destroy(id);
            }
          },
        });
        plan.permissionSet = await assignPermissionSet(connection, { permissionSet, usernames: toAssign });
        assertAllAssigned(plan.permissionSet);
      },
    }),
    stage('smoke-test', {
      applies: (plan) => route(plan) === 'through-sts',
      run: async (plan) => {
        plan.smoke = await runSmokeTest(plan.request.connection, { namedCredential: plan.names!.namedCredential });
        if (!plan.smoke.passed) throw smokeFailure(plan.smoke);
      },
    }),
    stage('switch-to-s3', {
      applies: (plan) => route(plan) === 'through-sts' && plan.request.finalService === 's3',
      run: async (plan, register) => {
        plan.s3 = await generateAndDeploy(plan, 's3', plan.convergence!.components, register);
      },
    }),
    stage('verify', {
      applies: (plan) => route(plan) === 'in-place' || route(plan) === 'nothing',
      run: async (plan) => {
        const namedCredential = plan.names!.namedCredential;
        const { connection } = plan.request;
        // The check fits the service the named credential ends on: S3 in place, or GetCallerIdentity on STS.
        plan.smoke = plan.request.finalService === 's3' ? await runS3Check(connection, { namedCredential }) : await runSmokeTest(connection, { namedCredential });
        if (!plan.smoke.passed) throw smokeFailure(plan.smoke);
      },
    }),
  ];
}

/** Validate the inputs, take the lease, read the org, and plan. Changes nothing but the lease. */
async function readAndPlan(plan: ConfigurePlan): Promise<void> {
  const { request } = plan;
  const { connection } = request;
  // Every input is validated offline first: a bad ARN or name stops here, before the org is touched.
  const prepared = await preparedFor(plan, request.finalService);
  plan.names = orgNamesOf(prepared.inputs);
  plan.roleArn = prepared.roleArn;
  prepared.warnings.forEach((w) => warn(plan, w));
  const username = runningUsername(request.org, connection);
  if (!request.dryRun) {
    const waitMinutes = request.wait?.minutes ?? 33;
    plan.lease = await takeLease(connection, { username, minutes: 2 * waitMinutes + LEASE_MARGIN_MINUTES });
  }
  const usernames = [username, ...(request.assignTo ?? [])];
  // --mode csr: the certificate stages made it already, or (--dry-run) would; --keystore --dry-run: a real run would import it
  const certificateMadeByRun = request.certificate !== undefined || request.certificateToImport !== undefined;
  plan.reading = await readOrg(connection, plan.names, usernames, { certificateMadeByRun });
  plan.orgChecks = plan.reading.checks;
  plan.orgChecks.warnings.forEach((w) => warn(plan, w));
  const location = await resolveOutputLocation(request.project.getPath());
  const projectXml = new Map<string, string | undefined>();
  const current = await snapshotFiles(prepared.files.map((f) => `${location.packageDir}/${f.relativePath}`));
  prepared.files.forEach((f) => projectXml.set(componentKey(f), current.get(`${location.packageDir}/${f.relativePath}`)?.toString('utf8')));
  plan.convergence = planConvergence(
    {
      components: plan.reading.components,
      roleArn: plan.reading.roleArn,
      assigned: plan.reading.assigned,
      certificate: request.certificate
        ? await csrCertificateForPlan(plan)
        : plan.orgChecks.certificate
        ? { ...plan.orgChecks.certificate, mode: 'jks' }
        : { developerName: plan.names.signingCertificate, mode: 'jks', state: 'missing' },
    },
    {
      names: plan.names,
      finalService: request.finalService,
      files: prepared.files.filter((f) => ['ExternalCredential', 'NamedCredential', 'PermissionSet'].includes(f.type)),
      projectXml,
      roleArn: prepared.roleArn,
      usernames,
    }
  );
  request.listener?.plan?.(plan.convergence.rows, plan.convergence.route);
  if (plan.convergence.conflicts.length && !request.ignoreConflicts && !request.dryRun) {
    const list = plan.convergence.conflicts.map((c) => `${c.type} ${c.fullName}:\n${c.conflict!.diff.map((l) => `    ${l}`).join('\n')}`);
    throw orgMessages.createError('error.ComponentConflict', [list.join('\n')]);
  }
}

/**
 * Writes the set for one service into the project and deploys the given components' files, through
 * source tracking when the org tracks source (its conflict check replaced by the plan's). The undo is
 * registered before the deploy starts.
 */
async function generateAndDeploy(
  plan: ConfigurePlan,
  service: Service,
  components: ComponentPlan[],
  register: (undo: Undo) => void
): Promise<ServiceDeploy> {
  const { request } = plan;
  const { connection } = request;
  const projectDir = request.project.getPath();
  const prepared = await preparedFor(plan, service);
  const location = await resolveOutputLocation(projectDir);
  const before = await snapshotFiles(prepared.files.map((f) => `${location.packageDir}/${f.relativePath}`));
  register({
    description: `restore the project's ${service} source files`,
    run: async () => {
      await restoreFiles(before);
    },
  });
  registerComponentUndo(plan, register);
  const keys = new Set(components.map(componentKey));
  // The versions about to be deployed count as this run's from now on: a deploy whose answer is lost may have landed.
  for (const file of prepared.files.filter((f) => keys.has(componentKey(f)))) {
    plan.deployed.set(componentKey(file), [...(plan.deployed.get(componentKey(file)) ?? []), file.content]);
  }
  // force: configure owns these files; the user's own edits are kept in `before` and restored on failure.
  const generate = await writePreparedMetadata(prepared, { projectDir, force: true });
  const deploy = await deploySource({
    org: request.org,
    connection,
    project: request.project,
    paths: generate.files.filter((f) => keys.has(componentKey(f))).map((f) => f.path),
    wait: request.wait,
    testLevel: request.testLevel,
    ignoreConflicts: true,
    onProgress: request.listener?.deployProgress,
    retrySleep: request.retrySleep,
  });
  if (deploy.exitCode === 69) {
    // Past --wait: ask the org to stop it, so the undo that follows sees a settled org.
    const settled = await cancelAndFollow(connection, deploy.id);
    const state = settled.kind === 'done' ? String(settled.result.response.status) : 'still running';
    throw orgMessages.createError('error.DeployWaitExpired', [deploy.id, state], [deploy.id]);
  }
  assertDeploySucceeded(deploy, request.listener?.deployFailures);
  return { generate, deploy };
}

/** Once per run: put the three components back as the org held them, where they are still as this run left them. */
function registerComponentUndo(plan: ConfigurePlan, register: (undo: Undo) => void): void {
  if (plan.deployed.size > 0 || !plan.reading) return;
  const { connection } = plan.request;
  const refs = managedComponents(plan.names!);
  const before = new Map(plan.reading.components.map((c) => [componentKey(c), c.xml]));
  const existing = refs.filter((r) => before.get(componentKey(r)) !== undefined).map((r) => r.fullName);
  const missing = refs.filter((r) => before.get(componentKey(r)) === undefined).map((r) => r.fullName);
  register({
    description: [existing.length ? `redeploy the org's previous ${existing.join(', ')}` : '', missing.length ? `delete ${missing.join(', ')} from the org` : '']
      .filter(Boolean)
      .join(' and '),
    run: async (): Promise<UndoFinding> => {
      const now = await retrieveComponents(connection, refs);
      const upserts: Array<{ type: string; fullName: string; xml: string }> = [];
      const deletes: Array<{ type: string; fullName: string }> = [];
      const othersChanged: string[] = [];
      for (const component of now) {
        const key = componentKey(component);
        const was = before.get(key);
        if (sameComponent(component.xml, was)) continue;
        const ours = component.xml !== undefined && (plan.deployed.get(key) ?? []).some((xml) => sameComponent(component.xml, xml));
        if (!ours) othersChanged.push(`${component.type} ${component.fullName}`);
        else if (was === undefined) deletes.push({ type: component.type, fullName: component.fullName });
        else upserts.push({ type: component.type, fullName: component.fullName, xml: was });
      }
      if (upserts.length || deletes.length) {
        const finished = await deployMetadataXml(connection, { upserts, deletes, wait: plan.request.wait });
        if (finished.kind === 'timed-out') throw new Error(orgMessages.getMessage('error.RestoreInProgress', [finished.id, finished.id]));
        const { response } = finished.result;
        if (!response.success) {
          const failures = [response.details?.componentFailures ?? []].flat().map((f) => `${f.fullName}: ${f.problem ?? ''}`);
          throw new Error(`${response.id} ${String(response.status)}: ${failures.join('; ') || (response.errorMessage ?? '')}`);
        }
      }
      if (othersChanged.length) return left(`${othersChanged.join(', ')} changed by someone else since this run; left as it is`);
      if (!upserts.length && !deletes.length) return notNeeded('the org still held its previous components');
    },
  });
}

async function assignmentIds(connection: Connection, permissionSet: string, usernames: string[]): Promise<string[]> {
  const list = usernames.map((u) => `'${soqlString(u)}'`).join(', ');
  const rows = await connection.query<{ Id: string }>(
    `SELECT Id FROM PermissionSetAssignment WHERE PermissionSet.Name = '${soqlString(permissionSet)}' AND Assignee.Username IN (${list})`
  );
  return rows.records.map((r) => r.Id);
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

const notNeeded = (note: string): UndoFinding => ({ status: 'not-needed', note });
const left = (note: string): UndoFinding => ({ status: 'left', note });

function warn(plan: ConfigurePlan, message: string): void {
  plan.warnings.push(message);
  plan.request.listener?.warn?.(message);
}
