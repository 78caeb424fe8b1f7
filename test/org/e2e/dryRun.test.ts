/*
 * `sf iamra deploy --dry-run` through the real sf binary against the org simulator: the generated set
 * is validated with a check-only deploy, and neither the project nor the org changes. sf runs with its
 * own TMPDIR, so the scratch copy the dry run deploys from can be seen to be removed.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { tempDir } from '../../helpers/tempProject.js';
import { STACK_TRACE } from '../../helpers/sfCli.js';
import { expectMatchesSchema } from '../../helpers/schema.js';
import { readTree } from '../../helpers/tree.js';
import { ARN_FLAGS } from '../../helpers/fixtures.js';
import { importTestKeystore, orgRig, type OrgRig } from './orgProject.js';

type DeployJson = {
  dryRun: boolean;
  service: string;
  deploy: { checkOnly: boolean; status: string; components: Array<{ type: string; filePath?: string }> };
  files: Array<{ type: string; path: string; status: string }>;
  principalCredential?: unknown;
  permissionSet?: unknown;
};

/** The whole project, directories included, byte for byte. */
const projectTree = (rig: OrgRig): Record<string, string> => readTree(rig.projectDir, { directories: true, encoding: 'base64' });

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
  const scratchCopiesLeft = (): string[] => readdirSync(sfTmp).filter((entry) => entry.startsWith('iamra-dry-run-'));

  it('validates the generated set with a check-only deploy; project byte-identical, nothing applied in the org', async () => {
    const before = projectTree(rig);
    const run = await dryRun();
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as DeployJson;
    expect(result).to.deep.include({ dryRun: true, service: 'sts' });
    expect(result.deploy).to.deep.include({ checkOnly: true, status: 'Succeeded' });
    expect(result.deploy.components.map((c) => c.type).sort()).to.deep.equal(['ExternalCredential', 'NamedCredential', 'PermissionSet']);
    // Results name the project files the set would be written to, not the removed scratch copy.
    const sourceDir = join(rig.projectDir, 'force-app', 'main', 'default');
    for (const c of result.deploy.components) expect(c.filePath).to.satisfy((p: string) => p.startsWith(sourceDir));
    expect(result.files.map((f) => f.status)).to.deep.equal(['created', 'created', 'created']);
    expect(result.principalCredential).to.equal(undefined);
    expect(result.permissionSet).to.equal(undefined);
    expectMatchesSchema('iamra deploy', result);

    expect(projectTree(rig)).to.deep.equal(before);
    expect(scratchCopiesLeft()).to.deep.equal([]);
    // The org validated all three components, check-only, and applied none of them.
    expect(rig.sim.deploys().map((d) => ({ checkOnly: d.checkOnly, status: d.status, total: d.numberComponentsTotal }))).to.deep.equal([
      { checkOnly: true, status: 'Succeeded', total: 3 },
    ]);
    expect(rig.sim.state.externalCredentials).to.deep.equal([]);
    expect(rig.sim.state.namedCredentials).to.deep.equal([]);
    expect(rig.sim.state.permissionSets.find((p) => p.name === 'APN_Roles_Anywhere_Access')).to.equal(undefined);
    expect(rig.sim.state.principalCredentials).to.deep.equal([]);
    expect(rig.sim.state.assignments).to.deep.equal([]);
  });

  it('with the STS set in the project, a dry run for S3 reports what would change and changes no file', async () => {
    const generate = await rig.sf.run(['iamra', 'metadata', 'generate', ...ARN_FLAGS], { cwd: rig.projectDir });
    expect(generate.code, generate.stdout + generate.stderr).to.equal(0);
    const before = projectTree(rig);
    const run = await dryRun(['--service', 's3']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as DeployJson;
    expect(result).to.deep.include({ dryRun: true, service: 's3' });
    expect(result.files.map((f) => `${f.type}:${f.status}`)).to.deep.equal([
      'ExternalCredential:changed',
      'NamedCredential:changed',
      'PermissionSet:unchanged',
    ]);
    expect(projectTree(rig)).to.deep.equal(before);
    expect(scratchCopiesLeft()).to.deep.equal([]);
    expect(rig.sim.deploys().map((d) => d.checkOnly)).to.deep.equal([true]);
    expect(rig.sim.state.namedCredentials).to.deep.equal([]);
  });

  it('a dry run the org rejects: exit 1 with the failures at project paths; project unchanged, scratch copy removed', async () => {
    rig.sim.faults.failDeploy({ problem: 'Simulated component problem' });
    const before = projectTree(rig);
    const run = await dryRun();
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    expect(run.json?.message).to.match(/3 component error/);
    expect(run.stderr).not.to.match(STACK_TRACE);
    const { deploy } = run.json?.data as { deploy: { checkOnly: boolean; failures: Array<{ problem: string; filePath?: string }> } };
    expect(deploy.checkOnly).to.equal(true);
    expect(deploy.failures.map((f) => f.problem)).to.deep.equal(Array(3).fill('Simulated component problem'));
    for (const f of deploy.failures) expect(f.filePath).to.satisfy((p: string) => p.startsWith(join(rig.projectDir, 'force-app')));
    expect(projectTree(rig)).to.deep.equal(before);
    expect(scratchCopiesLeft()).to.deep.equal([]);
    expect(rig.sim.state.externalCredentials).to.deep.equal([]);
  });
});
