/*
 * `sf iamra configure` converges, through the real sf against the org simulator: it reads the org,
 * plans, changes only what differs, and stays safe on re-runs, teammates' checkouts, a failed run on a
 * tracked sandbox, dropped answers, Ctrl-C, concurrent runs and an expired session.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { STACK_TRACE, type SfRun } from '../helpers/sfCli.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import { readTree } from '../helpers/tree.js';
import { ARN, ARN_FLAGS } from '../helpers/fixtures.js';
import { cloneProject, importTestKeystore, orgRig, type OrgRig, runIn, until } from '../org/e2e/orgProject.js';
import { testAwsAccount } from '../simulator/harness/testAws.js';
import { loginSf } from '../simulator/sfLogin.js';
import type { OrgSimulator, RecordedDeploy } from '../simulator/index.js';

type PlanRow = { item: string; name: string; now: string; wanted: string; action: string };
type ConfigureJson = {
  succeeded: boolean;
  dryRun: boolean;
  nothingToChange: boolean;
  service?: string;
  plan?: { route: string; rows: PlanRow[]; conflicts: Array<{ type: string; fullName: string; diff: string[] }> };
  stages: Array<{ id: string; status: string }>;
  rollback: Array<{ description: string; status: string; note?: string }>;
  deployIds: string[];
  smoke?: { passed: boolean; httpStatus?: number };
};

const OTHER_TRUST_ANCHOR = 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/9f9f9f9f-4e5f-6789-abcd-ef0123456789';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/OtherCrmRole';
const flagsWith = (over: { trustAnchor?: string; role?: string }): string[] => [
  '--trust-anchor-arn',
  over.trustAnchor ?? ARN.anchor,
  '--profile-arn',
  ARN.profile,
  '--role-arn',
  over.role ?? ARN.role,
];

/** Everything the org holds that configure manages (or could leave behind), for exact comparisons. */
function orgState(sim: OrgSimulator): string {
  const s = sim.state;
  return JSON.stringify({
    externalCredentials: s.externalCredentials,
    namedCredentials: s.namedCredentials,
    principalCredentials: s.principalCredentials,
    permissionSets: s.permissionSets,
    assignments: s.assignments,
    components: [...s.components.entries()].map(([k, v]) => [k, Object.fromEntries(Object.entries(v.files).map(([p, b]) => [p, b.toString('base64')]))]),
  });
}

const result = (run: SfRun): ConfigureJson => (run.json?.result ?? (run.json?.data as { configure: ConfigureJson })?.configure) as ConfigureJson;
const ncUrl = (sim: OrgSimulator): string | undefined => sim.state.namedCredential('APN_API_Connection')?.url;
const deployOps = (sim: OrgSimulator, from = 0): number => sim.requests.slice(from).filter((r) => r.operation === 'deploy').length;

/** The test AWS account, also trusting the other anchor and allowing the other role (the honest callout checks both). */
function accountWithOthers(): ReturnType<typeof testAwsAccount> {
  const account = testAwsAccount(ARN);
  account.trustAnchors.push({ ...account.trustAnchors[0], arn: OTHER_TRUST_ANCHOR });
  account.profiles[0].roleArns.push(OTHER_ROLE);
  account.roles.push({ arn: OTHER_ROLE, trustsRolesAnywhere: true });
  return account;
}

async function configuredRig(): Promise<OrgRig> {
  const rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore, aws: accountWithOthers() });
  const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
  expect(run.code, run.stdout + run.stderr).to.equal(0);
  return rig;
}

describe('sf iamra configure converges (real sf, org simulator)', function () {
  this.timeout(240_000);

  describe('re-runs and the plan', () => {
    let rig: OrgRig;
    before(async () => {
      rig = await configuredRig();
    });
    after(async () => rig?.close());

    it('a re-run on a configured org: nothing to change, no deploy, no write, the named credential stays on S3, S3 verified in place', async () => {
      const from = rig.sim.requests.length;
      const before = orgState(rig.sim);
      const deploys = rig.sim.deploys().length;
      const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const json = result(run);
      expect(json.nothingToChange).to.equal(true);
      expect(json.plan?.route).to.equal('nothing');
      expect(json.plan?.rows.every((r) => r.action === 'none')).to.equal(true);
      expect(json.stages.filter((s) => s.status === 'succeeded').map((s) => s.id)).to.deep.equal(['read-org', 'verify']);
      expect(json.smoke).to.deep.include({ passed: true, httpStatus: 403 });
      expect(json.deployIds).to.deep.equal([]);
      expect(rig.sim.deploys().length).to.equal(deploys);
      expect(deployOps(rig.sim, from)).to.equal(0);
      expect(orgState(rig.sim)).to.equal(before);
      expect(ncUrl(rig.sim)).to.equal('https://s3.us-west-2.amazonaws.com');
      expectMatchesSchema('iamra configure', json);
      // Reads only: no Connect write, no sObject write apart from the run's own lease (created, then deleted).
      const writes = rig.sim.requests.slice(from).filter((r) => r.method !== 'GET' && r.api !== 'metadata' && r.api !== 'apex' && r.api !== 'identity');
      expect(writes.map((w) => `${w.method} ${w.path.replace(/\/[0-9A-Za-z]{15,18}$/, '/<id>')}`)).to.deep.equal([
        'POST /services/data/v62.0/sobjects/PermissionSet',
        'DELETE /services/data/v62.0/sobjects/PermissionSet/<id>',
      ]);
      // eslint-disable-next-line no-console
      console.log(`      no-change re-run: ${rig.sim.requests.length - from} requests`);
      const human = await rig.run(['iamra', 'configure', ...ARN_FLAGS]);
      expect(human.code, human.stderr).to.equal(0);
      expect(human.stdout).to.match(/Nothing to change/);
      expect(human.stdout).to.match(/Org now/);
    });

    it('only an assignment missing on an S3 org: assigned in place, never through STS', async () => {
      rig.sim.state.addUser('integration@iamra-sim.example.com');
      const from = rig.sim.requests.length;
      const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--assign-to', 'integration@iamra-sim.example.com', '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const json = result(run);
      expect(json.plan?.route).to.equal('in-place');
      expect(json.plan?.rows.filter((r) => r.action !== 'none').map((r) => `${r.item}:${r.name}:${r.action}`)).to.deep.equal([
        'Permission set assignment:integration@iamra-sim.example.com:create',
      ]);
      expect(deployOps(rig.sim, from)).to.equal(0);
      expect(json.stages.find((s) => s.id === 'verify')?.status).to.equal('succeeded');
      expect(ncUrl(rig.sim)).to.equal('https://s3.us-west-2.amazonaws.com');
    });

    it('--dry-run shows the plan and changes nothing in the org or the project (byte for byte)', async () => {
      const org = orgState(rig.sim);
      const tree = readTree(rig.projectDir, { directories: true, encoding: 'base64' });
      const from = rig.sim.requests.length;
      const run = await rig.run(['iamra', 'configure', ...flagsWith({ trustAnchor: OTHER_TRUST_ANCHOR, role: OTHER_ROLE }), '--dry-run', '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const json = result(run);
      expect(json.dryRun).to.equal(true);
      expect(json.plan?.route).to.equal('through-sts');
      const actions = Object.fromEntries(json.plan!.rows.map((r) => [`${r.item}:${r.name}`, r.action]));
      expect(actions).to.deep.include({
        'ExternalCredential:AWS_IAM_Anywhere_Credential': 'update',
        'NamedCredential:APN_API_Connection': 'none',
        'PermissionSet:APN_Roles_Anywhere_Access': 'none',
        'Principal role ARN:IAMAW_Principal': 'update',
      });
      expect(json.stages.map((s) => s.id)).to.deep.equal(['aws-preflight', 'read-org']);
      expectMatchesSchema('iamra configure', json);
      expect(orgState(rig.sim)).to.equal(org);
      expect(readTree(rig.projectDir, { directories: true, encoding: 'base64' })).to.deep.equal(tree);
      expect(rig.sim.requests.slice(from).filter((r) => r.method !== 'GET' && r.api !== 'metadata' && r.api !== 'identity')).to.deep.equal([]);
      expect(deployOps(rig.sim, from)).to.equal(0);
      const human = await rig.run(['iamra', 'configure', ...flagsWith({ role: OTHER_ROLE }), '--dry-run']);
      expect(human.code, human.stderr).to.equal(0);
      expect(human.stdout).to.match(/Principal role ARN.*arn:aws:iam::123456789012:role\/APNPartnerCRMConnectorRole.*OtherCrmRole.*update/);
      expect(human.stdout).to.match(/Dry run: nothing was changed/);
    });
  });

  describe('teammates and CI', () => {
    let rig: OrgRig;
    const clones: string[] = [];
    before(async () => {
      rig = await configuredRig();
    });
    after(async () => {
      clones.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
      await rig?.close();
    });

    it('a second checkout with the same files on a configured sandbox: no conflict, nothing to change', async () => {
      const clone = cloneProject(rig, true);
      clones.push(clone);
      const run = await runIn(rig, clone, ['iamra', 'configure', ...ARN_FLAGS, '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(result(run).nothingToChange).to.equal(true);
    });

    it('different content in the org: refused naming the component with a short diff; --ignore-conflicts overwrites', async () => {
      const clone = cloneProject(rig, false);
      clones.push(clone);
      const before = orgState(rig.sim);
      const run = await runIn(rig, clone, ['iamra', 'configure', ...flagsWith({ trustAnchor: OTHER_TRUST_ANCHOR }), '--json']);
      expect(run.code).to.equal(1);
      expect(run.json?.name).to.equal('ComponentConflictError');
      expect(run.json?.message).to.match(/ExternalCredential AWS_IAM_Anywhere_Credential/);
      expect(run.json?.message).to.include(`- ExternalCredential.externalCredentialParameters[parameterName=AwsTrustAnchorArn].parameterValue = ${ARN.anchor}`);
      expect(run.json?.message).to.include(`+ ExternalCredential.externalCredentialParameters[parameterName=AwsTrustAnchorArn].parameterValue = ${OTHER_TRUST_ANCHOR}`);
      expect(JSON.stringify(run.json?.actions)).to.match(/--ignore-conflicts/);
      expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
      expect(orgState(rig.sim)).to.equal(before);
      const forced = await runIn(rig, clone, ['iamra', 'configure', ...flagsWith({ trustAnchor: OTHER_TRUST_ANCHOR }), '--ignore-conflicts', '--json']);
      expect(forced.code, forced.stdout + forced.stderr).to.equal(0);
      const param = rig.sim.state.externalCredential('AWS_IAM_Anywhere_Credential')?.parameters.find((p) => p.parameterName === 'AwsTrustAnchorArn');
      expect(param?.parameterValue).to.equal(OTHER_TRUST_ANCHOR);
      expect(ncUrl(rig.sim)).to.equal('https://s3.us-west-2.amazonaws.com');
    });
  });

  describe('a failed re-run on a tracked sandbox', () => {
    let rig: OrgRig;
    afterEach(async () => rig?.close());

    it('restores the org exactly, reports the rollback as done, and leaves source tracking working', async () => {
      rig = await configuredRig();
      const before = orgState(rig.sim);
      const tree = readTree(join(rig.projectDir, 'force-app'), { encoding: 'base64' });
      rig.sim.state.aws.rejectRole = 'AccessDenied';
      const run = await rig.run(['iamra', 'configure', ...flagsWith({ trustAnchor: OTHER_TRUST_ANCHOR, role: OTHER_ROLE }), '--json']);
      expect(run.code, run.stdout).to.equal(1);
      expect(run.json?.message).to.match(/Smoke test/);
      expect(run.json?.message).to.match(/Every change made before the failure was undone/);
      const json = result(run);
      expect(json.rollback.length).to.be.greaterThan(0);
      expect(json.rollback.every((r) => r.status === 'undone'), JSON.stringify(json.rollback)).to.equal(true);
      expect(orgState(rig.sim)).to.equal(before);
      expect(readTree(join(rig.projectDir, 'force-app'), { encoding: 'base64' })).to.deep.equal(tree);
      rig.sim.state.aws.rejectRole = undefined;
      const preview = await rig.run(['project', 'deploy', 'preview', '--json']);
      expect(preview.code, preview.stdout + preview.stderr).to.equal(0);
      expect(preview.stdout).not.to.match(/iamra-(read|deploy|org-snapshot)-|UnsafeFilepath/);
      const again = await rig.run(['iamra', 'configure', ...flagsWith({ trustAnchor: OTHER_TRUST_ANCHOR, role: OTHER_ROLE }), '--json']);
      expect(again.code, again.stdout + again.stderr).to.equal(0);
      expect(rig.sim.state.principalCredential('AWS_IAM_Anywhere_Credential', 'IAMAW_Principal')?.credentials.awsRoleArn?.value).to.equal(OTHER_ROLE);
    });

    it('a new role ARN that AWS refuses on S3: the role ARN is put back, no deploy, the org stays on S3', async () => {
      rig = await configuredRig();
      const before = orgState(rig.sim);
      const from = rig.sim.requests.length;
      rig.sim.state.aws.rejectRole = 'ExpiredToken';
      const run = await rig.run(['iamra', 'configure', ...flagsWith({ role: OTHER_ROLE }), '--json']);
      expect(run.code, run.stdout).to.equal(1);
      expect(result(run).rollback.map((r) => r.status)).to.deep.equal(['undone']);
      expect(deployOps(rig.sim, from)).to.equal(0);
      expect(orgState(rig.sim)).to.equal(before);
    });
  });

  describe('dropped answers', () => {
    let rig: OrgRig;
    afterEach(async () => rig?.close());

    for (const times of [1, 3]) {
      it(`a dropped checkDeployStatus (${times}x) at every deploy: the deploy is looked up by id and the run completes`, async () => {
        rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
        rig.sim.faults.drop({ api: 'metadata', operation: 'checkDeployStatus', times: times * 2 });
        const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
        expect(run.code, run.stdout + run.stderr).to.equal(0);
        expect(result(run).service).to.equal('s3');
        expect(ncUrl(rig.sim)).to.equal('https://s3.us-west-2.amazonaws.com');
        const again = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
        expect(again.code, again.stdout + again.stderr).to.equal(0);
        expect(result(again).nothingToChange).to.equal(true);
      });
    }

    it('a whole-deploy failure shows the org\'s errorMessage, and everything is undone', async () => {
      rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
      rig.sim.faults.failDeploy({ errorMessage: 'UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this ErrorId: 123-456' });
      const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
      expect(run.code).to.equal(1);
      expect(run.json?.message).to.include('UNKNOWN_EXCEPTION: An unexpected error occurred');
      expect(rig.sim.state.externalCredentials).to.deep.equal([]);
    });
  });

  describe('--wait runs out', function () {
    // A minute of --wait (its minimum) plus the configure around it, on a shared machine.
    this.timeout(420_000);
    let rig: OrgRig;
    afterEach(async () => rig?.close());

    it('a deploy still running after --wait on a working S3 org: cancelled, the deploy id and the org state named, the org stays on S3', async () => {
      rig = await configuredRig();
      const before = orgState(rig.sim);
      const tree = readTree(join(rig.projectDir, 'force-app'), { encoding: 'base64' });
      // The org is slow from now on: a deploy stays InProgress until cancelled.
      rig.sim.deployPollsBeforeDone = 1_000_000_000;
      const deploysBefore = rig.sim.deploys().length;
      const from = rig.sim.requests.length;
      const run = await rig.run(['iamra', 'configure', ...flagsWith({ trustAnchor: OTHER_TRUST_ANCHOR }), '--wait', '1', '--json']);
      rig.sim.deployPollsBeforeDone = 0;
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      const started = rig.sim.deploys().slice(deploysBefore);
      expect(started.map((d) => d.status), 'the one deploy this run started was cancelled in the org').to.deep.equal(['Canceled']);
      const id = started[0].id;
      expect(run.json?.name).to.equal('DeployWaitExpiredError');
      expect(run.json?.message).to.include(`The deploy ${id} was still running when --wait ran out`);
      expect(run.json?.message).to.match(/it is now: Canceled/);
      expect(run.json?.message).to.match(/Every change made before the failure was undone/);
      expect(JSON.stringify(run.json?.actions)).to.include(`sf project deploy report --job-id ${id}`);
      expect(rig.sim.requests.slice(from).filter((r) => r.operation === 'cancelDeploy')).to.have.length(1);
      expect(result(run).service).to.equal('s3');
      expect(ncUrl(rig.sim)).to.equal('https://s3.us-west-2.amazonaws.com');
      expect(orgState(rig.sim)).to.equal(before);
      expect(readTree(join(rig.projectDir, 'force-app'), { encoding: 'base64' })).to.deep.equal(tree);
      expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
      const again = await rig.run(['iamra', 'configure', ...flagsWith({ trustAnchor: OTHER_TRUST_ANCHOR }), '--json']);
      expect(again.code, again.stdout + again.stderr).to.equal(0);
      expect(ncUrl(rig.sim)).to.equal('https://s3.us-west-2.amazonaws.com');
    });
  });

  describe('--wait runs out at the switch to S3', function () {
    // Up to two minutes of --wait (the S3 deploy's, then the restore's) plus the configure around them.
    this.timeout(600_000);
    let rig: OrgRig;
    let before: string;
    let deploysBefore: number;
    afterEach(async () => rig?.close());

    /** configure on a configured org that turns slow once the STS deploy has landed (the S3 deploy stays InProgress). */
    const slowAtTheSwitch = async (options: { fastOnceCancelled: boolean }): Promise<{ run: SfRun; mine: RecordedDeploy[] }> => {
      rig = await configuredRig();
      before = orgState(rig.sim);
      deploysBefore = rig.sim.deploys().length;
      const watcher = setInterval(() => {
        const started = rig.sim.deploys().slice(deploysBefore);
        if (started.length === 1 && started[0].status === 'Succeeded') rig.sim.deployPollsBeforeDone = 1_000_000_000;
        if (options.fastOnceCancelled && rig.sim.requests.some((r) => r.operation === 'cancelDeploy')) rig.sim.deployPollsBeforeDone = 0;
      }, 10);
      const run = await rig.run(['iamra', 'configure', ...flagsWith({ trustAnchor: OTHER_TRUST_ANCHOR }), '--wait', '1', '--json']);
      clearInterval(watcher);
      rig.sim.deployPollsBeforeDone = 0;
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      const mine = rig.sim.deploys().slice(deploysBefore);
      expect(run.json?.message).to.include(`The deploy ${mine[1].id} was still running when --wait ran out`);
      expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
      return { run, mine };
    };

    it('the S3 deploy is cancelled and the rollback puts the org back on S3 (never left on STS)', async () => {
      const { run, mine } = await slowAtTheSwitch({ fastOnceCancelled: true });
      expect(mine.map((d) => d.status), 'STS deploy, the cancelled S3 deploy, the restore').to.deep.equal(['Succeeded', 'Canceled', 'Succeeded']);
      expect(run.json?.name).to.equal('DeployWaitExpiredError');
      expect(run.json?.message).to.match(/Every change made before the failure was undone/);
      expect(result(run).service).to.equal('s3');
      expect(ncUrl(rig.sim)).to.equal('https://s3.us-west-2.amazonaws.com');
      expect(orgState(rig.sim)).to.equal(before);
    });

    it('and the restore outlasts --wait too: its deploy id and how to follow it are named; once the org finishes it, it is back on S3', async () => {
      const { run, mine } = await slowAtTheSwitch({ fastOnceCancelled: false });
      expect(mine.map((d) => d.status), 'STS deploy, the cancelled S3 deploy, the restore still running').to.deep.equal(['Succeeded', 'Canceled', 'InProgress']);
      const restore = mine[2].id;
      expect(run.json?.message).to.include(`the restore deploy ${restore} is still running in the org (past --wait); when it completes, the org holds its previous components again`);
      expect(run.json?.message).to.include(`sf project deploy report --job-id ${restore}`);
      expect(run.json?.message).to.not.match(/role ARN and permission set assignments were not applied/);
      expect(ncUrl(rig.sim), 'on STS until the restore lands').to.match(/^https:\/\/sts\./);
      // the org gets through its queue; the advised command reports the restore done, and the org is as before
      rig.sim.letRunningDeploysFinish();
      const report = await rig.run(['project', 'deploy', 'report', '--job-id', restore, '--json']);
      expect(report.code, report.stdout + report.stderr).to.equal(0);
      expect(rig.sim.deploys().find((d) => d.id === restore)?.status).to.equal('Succeeded');
      expect(ncUrl(rig.sim)).to.equal('https://s3.us-west-2.amazonaws.com');
      expect(orgState(rig.sim)).to.equal(before);
    });
  });

  describe('interruption, concurrency, sessions', () => {
    let rig: OrgRig;
    afterEach(async () => rig?.close());

    for (const at of ['read', 'deploy', 'connect', 'apex'] as const) {
      it(`SIGINT during the ${at} step: exit 130, no stack trace, the org as found, no temp folder left; a re-run completes`, async () => {
        rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
        const before = orgState(rig.sim);
        const tmp = mkdtempSync(join(tmpdir(), 'iamra-sigint-tmp-'));
        const trigger = { read: 'retrieve', deploy: 'deploy', connect: 'connect', apex: 'apex' }[at];
        // Slow the step down so the signal lands while it runs.
        rig.sim.faults.delay({ ...(at === 'connect' || at === 'apex' ? { api: at } : { operation: trigger }), ms: 400 });
        const run = await interruptWhen(rig, ['iamra', 'configure', ...ARN_FLAGS], { TMPDIR: tmp }, (sim) =>
          sim.requests.some((r) => r.operation === trigger || r.api === trigger)
        );
        rig.sim.faults.reset();
        expect(run.code, run.stdout + run.stderr).to.equal(130);
        expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
        expect(run.stderr).to.match(/Interrupted \(SIGINT\)\. The org and the project are as configure found them/);
        expect(orgState(rig.sim)).to.equal(before);
        expect(readdirSync(tmp).filter((f) => f.startsWith('iamra-'))).to.deep.equal([]);
        rmSync(tmp, { recursive: true, force: true });
        const again = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
        expect(again.code, again.stdout + again.stderr).to.equal(0);
      });
    }

    it('SIGTERM during the deploy step (as CI stops a job): exit 130, no stack trace, the org as found, no temp folder left; a re-run completes', async () => {
      rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
      const before = orgState(rig.sim);
      const tmp = mkdtempSync(join(tmpdir(), 'iamra-sigterm-tmp-'));
      rig.sim.faults.delay({ operation: 'deploy', ms: 400 });
      const run = await interruptWhen(rig, ['iamra', 'configure', ...ARN_FLAGS], { TMPDIR: tmp }, (sim) => sim.requests.some((r) => r.operation === 'deploy'), 'SIGTERM');
      rig.sim.faults.reset();
      expect(run.code, run.stdout + run.stderr).to.equal(130);
      expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
      expect(run.stderr).to.match(/Interrupted \(SIGTERM\)\. The org and the project are as configure found them/);
      expect(orgState(rig.sim)).to.equal(before);
      expect(readdirSync(tmp).filter((f) => f.startsWith('iamra-'))).to.deep.equal([]);
      rmSync(tmp, { recursive: true, force: true });
      const again = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
      expect(again.code, again.stdout + again.stderr).to.equal(0);
      expect(ncUrl(rig.sim)).to.equal('https://s3.us-west-2.amazonaws.com');
    });

    it('two runs at once on one org: the second is refused naming the first, whose result stays intact', async () => {
      rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
      // The first run holds its lease while its deploy is slow to report; the second starts meanwhile.
      rig.sim.faults.delay({ operation: 'checkDeployStatus', ms: 20_000 });
      const first = rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
      await until(() => rig.sim.requests.some((r) => r.operation === 'deploy'));
      const second = await rig.run(['iamra', 'configure', ...flagsWith({ role: OTHER_ROLE }), '--json']);
      rig.sim.faults.reset();
      const firstRun = await first;
      expect(second.code, `${second.stdout.slice(0, 1500)}\nFIRST ${firstRun.stdout.slice(0, 800)}`).to.equal(1);
      expect(second.json?.name).to.equal('ConfigureRunningError');
      expect(second.json?.message).to.include(rig.sim.username);
      expect(firstRun.code, firstRun.stdout + firstRun.stderr).to.equal(0);
      expect(rig.sim.state.principalCredential('AWS_IAM_Anywhere_Credential', 'IAMAW_Principal')?.credentials.awsRoleArn?.value).to.equal(ARN.role);
      expect(rig.sim.state.permissionSets.map((p) => p.name)).not.to.include('IAMRA_Configure_Lock');
    });

    it('a stale lease (its run was killed) is taken over', async () => {
      rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
      rig.sim.state.permissionSets.push({
        id: rig.sim.state.newId('PermissionSet'),
        name: 'IAMRA_Configure_Lock',
        label: 'IAMRA configure lock',
        principalAccesses: [],
        isOwnedByProfile: false,
        description: JSON.stringify({ holder: 'gone@example.com (pid 1 on ci)', expires: '2020-01-01T00:00:00.000Z' }),
      });
      const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(rig.sim.state.permissionSets.map((p) => p.name)).not.to.include('IAMRA_Configure_Lock');
    });

    it('a session that expires mid-run and can be renewed: renewed, the run completes', async () => {
      rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore }, 'refresh-token');
      const run = rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
      await until(() => rig.sim.requests.some((r) => r.operation === 'deploy'));
      rig.sim.faults.expireSession();
      const done = await run;
      expect(done.code, done.stdout + done.stderr).to.equal(0);
      expect(ncUrl(rig.sim)).to.equal('https://s3.us-west-2.amazonaws.com');
    });

    it('a session revoked mid-run: "log in again" naming what this run changed; a re-run after logging in completes', async () => {
      rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
      const run = rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
      await until(() => rig.sim.requests.some((r) => r.api === 'connect' && r.method !== 'GET'));
      rig.sim.faults.revokeSession();
      const done = await run;
      expect(done.code).to.equal(1);
      expect(done.json?.name).to.equal('SessionExpiredError');
      expect(done.json?.message).to.match(/Still in the org from this run: .*(delete|remove|redeploy)/);
      expect(JSON.stringify(done.json?.actions)).to.match(/sf org login web/);
      expect(done.stdout + done.stderr).not.to.match(STACK_TRACE);
      rig.sim.faults.restoreSession();
      await loginSf(rig.sf, rig.sim, rig.alias);
      const again = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--ignore-conflicts', '--json']);
      expect(again.code, again.stdout + again.stderr).to.equal(0);
    });
  });
});

/** Runs sf and sends it SIGINT (or `signal`) once `when` holds for the simulator's requests. */
function interruptWhen(
  rig: OrgRig,
  args: string[],
  env: NodeJS.ProcessEnv,
  when: (sim: OrgSimulator) => boolean,
  signal: NodeJS.Signals = 'SIGINT'
): Promise<SfRun> {
  const [node, ...rest] = rig.sf.argv([...args, '--target-org', rig.alias]);
  const child = spawn(node, rest, { cwd: rig.projectDir, env: rig.sf.env({ SF_IAMRA_POLL_MS: '50', ...env }) });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdin.end();
  const from = rig.sim.requests.length;
  const timer = setInterval(() => {
    if (when({ ...rig.sim, requests: rig.sim.requests.slice(from) } as OrgSimulator)) {
      clearInterval(timer);
      child.kill(signal);
    }
  }, 10);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code: code ?? 1, stdout, stderr, json: undefined });
    });
  });
}

