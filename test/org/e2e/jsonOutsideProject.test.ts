/*
 * Outside an SFDX project, every command that needs one still answers --json with JSON (as core's
 * `sf project deploy start` does): the project is resolved inside run(), so the failure goes through
 * sf's JSON error output instead of a plain-text RequiresProjectError.
 */
import { expect } from 'chai';
import { ARN_FLAGS, pki } from '../../helpers/fixtures.js';
import { STACK_TRACE, type SfRun } from '../../helpers/sfCli.js';
import { tempDir } from '../../helpers/tempProject.js';
import { orgRig, type OrgRig } from './orgProject.js';

describe('--json outside an SFDX project (real sf, org simulator)', () => {
  const rows: Array<{ name: string; args: string[] }> = [
    { name: 'configure', args: ['iamra', 'configure', ...ARN_FLAGS] },
    { name: 'deploy', args: ['iamra', 'deploy', ...ARN_FLAGS] },
    { name: 'csr create', args: ['iamra', 'csr', 'create'] },
    { name: 'csr complete', args: ['iamra', 'csr', 'complete', '--certificate', pki('leaf-rsa2048.pem')] },
  ];
  const outside = tempDir('iamra-no-project-');
  let rig: OrgRig;
  let runs: SfRun[] = [];

  before(async () => {
    rig = await orgRig();
    runs = await Promise.all(rows.map((row) => rig.sf.run([...row.args, '--target-org', rig.alias, '--json'], { cwd: outside.dir })));
  });
  after(async () => {
    await rig?.close();
    outside.cleanup();
  });

  rows.forEach((row, index) => {
    it(`${row.name}: a JSON error naming the missing project, nothing asked of the org`, () => {
      const run = runs[index];
      expect(run.json, `stdout is JSON: ${run.stdout}${run.stderr}`).to.not.equal(undefined);
      expect(run.json).to.deep.include({ status: 1, name: 'InvalidProjectWorkspaceError' });
      expect(run.json?.message).to.include(outside.dir);
      expect(run.code).to.equal(1);
      expect(run.stdout + run.stderr).to.not.match(STACK_TRACE);
    });
  });

  it('no metadata or Tooling call reached the org', () => {
    expect(rig.sim.requests.filter((r) => r.api === 'metadata' || r.api === 'tooling' || r.api === 'apex')).to.deep.equal([]);
  });
});
