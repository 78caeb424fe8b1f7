/*
 * `sf iamra deploy --dry-run` through the real sf binary against the org simulator: configure's plan
 * (read the org, one row per item), and neither the project nor the org changes. sf runs with its
 * own TMPDIR, so nothing can be seen to be left there either.
 */
import { readdirSync, rmSync } from 'node:fs';
import { expect } from 'chai';
import { tempDir } from '../../helpers/tempProject.js';
import { STACK_TRACE } from '../../helpers/sfCli.js';
import { expectMatchesSchema } from '../../helpers/schema.js';
import { readTree } from '../../helpers/tree.js';
import { ARN_FLAGS, FRESH_ORG_DEPLOY_PLAN } from '../../helpers/fixtures.js';
import { importTestKeystore, orgRig, type OrgRig } from './orgProject.js';

type DeployJson = {
  dryRun: boolean;
  service: string;
  deploy?: unknown;
  plan: { rows: Array<{ item: string; name: string; action: string }> };
  files: unknown[];
  principalCredential?: unknown;
  permissionSet?: unknown;
};

/** The whole project, directories included, byte for byte. */
const projectTree = (rig: OrgRig): Record<string, string> => readTree(rig.projectDir, { directories: true, encoding: 'base64' });
const actions = (result: DeployJson): string[] => result.plan.rows.map((r) => `${r.item}:${r.action}`);

describe('sf iamra deploy --dry-run against the org simulator (real sf)', () => {
  let rig: OrgRig;
  let sfTmp: string;

  beforeEach(async () => {
    rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
    sfTmp = tempDir('iamra-dry-run-tmp-').dir;
  });
  afterEach(async () => {
    await rig?.close();
    rmSync(sfTmp, { recursive: true, force: true });
  });

  const dryRun = (extra: string[] = []): ReturnType<OrgRig['run']> =>
    rig.run(['iamra', 'deploy', ...ARN_FLAGS, ...extra, '--dry-run', '--json'], { TMPDIR: sfTmp });
  const scratchCopiesLeft = (): string[] => readdirSync(sfTmp).filter((entry) => entry.startsWith('iamra-'));

  it('a fresh org: the plan creates everything; project byte-identical, nothing in the org, no deploy', async () => {
    const before = projectTree(rig);
    const run = await dryRun();
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as DeployJson;
    expect(result).to.deep.include({ dryRun: true, nothingToChange: false });
    expect(actions(result)).to.deep.equal(FRESH_ORG_DEPLOY_PLAN);
    expect(result.deploy).to.equal(undefined);
    expect(result.files).to.deep.equal([]);
    expect(result.principalCredential).to.equal(undefined);
    expect(result.permissionSet).to.equal(undefined);
    expectMatchesSchema('iamra deploy', result);

    expect(projectTree(rig)).to.deep.equal(before);
    expect(scratchCopiesLeft()).to.deep.equal([]);
    expect(rig.sim.deploys()).to.deep.equal([]);
    expect(rig.sim.state.externalCredentials).to.deep.equal([]);
    expect(rig.sim.state.namedCredentials).to.deep.equal([]);
    expect(rig.sim.state.permissionSets.find((p) => p.name === 'APN_Roles_Anywhere_Access')).to.equal(undefined);
    expect(rig.sim.state.principalCredentials).to.deep.equal([]);
    expect(rig.sim.state.assignments).to.deep.equal([]);
  });

  it('on an org deployed for STS, a dry run for S3 plans the two credential updates only and changes no file', async () => {
    const deployed = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--json']);
    expect(deployed.code, deployed.stdout + deployed.stderr).to.equal(0);
    const before = projectTree(rig);
    const deploys = rig.sim.deploys().length;
    const run = await dryRun(['--service', 's3']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as DeployJson;
    expect(result).to.deep.include({ dryRun: true, service: 'sts' });
    expect(actions(result)).to.deep.equal([
      'Signing certificate:none',
      'ExternalCredential:update',
      'NamedCredential:update',
      'PermissionSet:none',
      'Principal role ARN:none',
      'Permission set assignment:none',
    ]);
    expect(projectTree(rig)).to.deep.equal(before);
    expect(rig.sim.deploys().length).to.equal(deploys);
    expect(rig.sim.state.namedCredential('APN_API_Connection')?.url).to.match(/^https:\/\/sts\./);
  });

  it('human output: the plan table and the dry-run line; no stack trace', async () => {
    const run = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--dry-run'], { TMPDIR: sfTmp });
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/Org now/);
    expect(run.stdout).to.match(/Dry run for sts: the plan above; nothing was changed/);
    expect(run.stderr).not.to.match(STACK_TRACE);
    expect(rig.sim.deploys()).to.deep.equal([]);
  });
});
