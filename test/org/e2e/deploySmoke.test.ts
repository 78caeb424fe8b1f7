/*
 * End to end through the real sf binary against the org simulator: generate -> deploy -> smoke.
 * Needs `npm run build` first (the linked plugin runs from lib/).
 */
import { expect } from 'chai';
import { STACK_TRACE } from '../../helpers/sfCli.js';
import { expectMatchesSchema } from '../../helpers/schema.js';
import { ARN, ARN_FLAGS } from '../../helpers/fixtures.js';
import { importTestKeystore, orgRig, type OrgRig } from './orgProject.js';

describe('sf iamra deploy + smoke against the org simulator (real sf)', () => {
  let rig: OrgRig;

  before(async () => {
    rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
  });
  after(async () => rig?.close());

  it('deploys the STS set, sets the role ARN, assigns the permission set, and the smoke test passes', async () => {
    const deploy = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--json']);
    expect(deploy.code, deploy.stdout + deploy.stderr).to.equal(0);
    const result = deploy.json?.result as {
      service: string;
      deploy: { status: string; testLevel?: string; components: Array<{ type: string; state: string }> };
      principalCredential: { action: string; roleArn: string };
      permissionSet: { created: Array<{ username: string }>; alreadyAssigned: unknown[] };
    };
    expect(result.service).to.equal('sts');
    expect(result.deploy.status).to.equal('Succeeded');
    expect(result.deploy.testLevel).to.equal('NoTestRun');
    expect(result.deploy.components.map((c) => c.type).sort()).to.deep.equal(['ExternalCredential', 'NamedCredential', 'PermissionSet']);
    expect(result.principalCredential).to.deep.include({ action: 'created', roleArn: ARN.role });
    expect(result.permissionSet.created.map((a) => a.username)).to.deep.equal([rig.sim.username]);
    expect(rig.sim.state.namedCredential('APN_API_Connection')?.url).to.match(/^https:\/\/sts\./);
    expectMatchesSchema('iamra deploy', deploy.json?.result);

    const smoke = await rig.run(['iamra', 'smoke', '--json']);
    expect(smoke.code, smoke.stdout + smoke.stderr).to.equal(0);
    const passed = smoke.json?.result as { passed: boolean; httpStatus: number; assumedRoleArn: string; roleArn: string; service: string };
    // On STS the check is GetCallerIdentity.
    expect(passed).to.deep.include({ passed: true, httpStatus: 200, roleArn: ARN.role, service: 'sts' });
    expect(passed.assumedRoleArn).to.match(/^arn:aws:sts::123456789012:assumed-role\/APNPartnerCRMConnectorRole\//);
    expectMatchesSchema('iamra smoke', smoke.json?.result);
  });

  it('went through source tracking: sf project deploy preview shows no phantom changes or conflicts', async () => {
    const preview = await rig.run(['project', 'deploy', 'preview', '--json']);
    expect(preview.code, preview.stdout + preview.stderr).to.equal(0);
    const result = preview.json?.result as { toDeploy: unknown[]; conflicts: unknown[]; toRetrieve: unknown[] };
    expect(result.toDeploy, 'to deploy').to.deep.equal([]);
    expect(result.conflicts, 'conflicts').to.deep.equal([]);
  });

  it('a second deploy changes nothing: says so, zero deploys, no duplicate assignment or credential', async () => {
    const before = { assignments: rig.sim.state.assignments.length, credentials: rig.sim.state.principalCredentials.length };
    const deploys = rig.sim.deploys().length;
    const again = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--json']);
    expect(again.code, again.stdout + again.stderr).to.equal(0);
    const result = again.json?.result as {
      nothingToChange: boolean;
      deploy?: unknown;
      files: unknown[];
      plan: { rows: Array<{ item: string; action: string }> };
    };
    expect(result.nothingToChange).to.equal(true);
    expect(result.deploy).to.equal(undefined);
    expect(result.files).to.deep.equal([]);
    expect(result.plan.rows.map((r) => r.action)).to.satisfy((actions: string[]) => actions.every((a) => a === 'none'));
    expect(rig.sim.deploys().length, 'no deploy').to.equal(deploys);
    expectMatchesSchema('iamra deploy', again.json?.result);
    expect(rig.sim.state.assignments.length).to.equal(before.assignments);
    expect(rig.sim.state.principalCredentials.length).to.equal(before.credentials);
  });

  it('human output: the plan, "nothing to change" and the next step; no session token anywhere', async () => {
    const run = await rig.run(['iamra', 'deploy', ...ARN_FLAGS]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/Org now/);
    expect(run.stdout).to.match(/Nothing to change/);
    expect(run.stdout).not.to.match(/Deployed components/);
    expect(run.stdout).to.match(/sf iamra smoke/);
    expect(run.stdout + run.stderr).not.to.include(rig.sim.accessToken);
    expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
    const smoke = await rig.run(['iamra', 'smoke']);
    expect(smoke.code).to.equal(0);
    expect(smoke.stdout).to.match(/HTTP 200 from AWS STS: Salesforce assumed arn:aws:sts::123456789012:assumed-role\/APNPartnerCRMConnectorRole/);
    expect(smoke.stdout + smoke.stderr).not.to.include(rig.sim.accessToken);
  });

  it('--service s3 switches the named credential to S3; smoke then checks S3 in place (ListBuckets), never pointing it at STS', async () => {
    const s3 = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--service', 's3']);
    expect(s3.code, s3.stdout + s3.stderr).to.equal(0);
    // Only what differs: the external and named credentials; the permission set is as it was.
    expect(s3.stdout).to.match(/Deployed components/);
    expect(rig.sim.deploys().at(-1)?.numberComponentsTotal).to.equal(2);
    expect(rig.sim.state.namedCredential('APN_API_Connection')?.url).to.match(/^https:\/\/s3\./);
    const from = rig.sim.requests.length;
    const deploys = rig.sim.deploys().length;
    const smoke = await rig.run(['iamra', 'smoke', '--json']);
    expect(smoke.code, smoke.stdout + smoke.stderr).to.equal(0);
    const result = smoke.json?.result as { passed: boolean; httpStatus: number; service: string; message: string };
    // The test role may not list buckets: S3's authenticated AccessDenied proves the Roles Anywhere chain.
    expect(result).to.deep.include({ passed: true, httpStatus: 403, service: 's3' });
    expect(result.message).to.match(/S3 answered through APN_API_Connection \(HTTP 403\)/);
    expectMatchesSchema('iamra smoke', smoke.json?.result);
    expect(rig.sim.deploys().length, 'no deploy: the named credential is checked where it points').to.equal(deploys);
    expect(rig.sim.requests.slice(from).filter((r) => r.operation === 'deploy')).to.deep.equal([]);
    expect(rig.sim.state.namedCredential('APN_API_Connection')?.url).to.match(/^https:\/\/s3\./);
    const human = await rig.run(['iamra', 'smoke']);
    expect(human.code, human.stdout + human.stderr).to.equal(0);
    expect(human.stdout).to.match(/S3 answered through APN_API_Connection/);
  });

  it('on S3, credentials S3 does not accept (ExpiredToken) fail the check: exit 1, the S3 code named, no stack trace', async () => {
    rig.sim.state.aws.rejectRole = 'ExpiredToken';
    try {
      const smoke = await rig.run(['iamra', 'smoke', '--json']);
      expect(smoke.code, smoke.stdout + smoke.stderr).to.equal(1);
      expect(smoke.json?.name).to.equal('SmokeAwsAccessDenied');
      expect(smoke.json?.message).to.match(/ExpiredToken/);
      expect(smoke.stderr).not.to.match(STACK_TRACE);
    } finally {
      rig.sim.state.aws.rejectRole = undefined;
    }
  });
});
