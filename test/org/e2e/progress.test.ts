/*
 * The stage display as a CI log or a pipe shows it (real sf, stdout not a terminal, no CI variable):
 * the stages listed, each one's status on its own line, component counts under a deploy, no escape
 * sequence; with --json nothing but the JSON. Needs `npm run build` first.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { STACK_TRACE } from '../../helpers/sfCli.js';
import { tempDir } from '../../helpers/tempProject.js';
import { ARN_FLAGS } from '../../helpers/fixtures.js';
import { ended, ESCAPE, expectStageList, started } from '../../helpers/stages.js';
import { importTestKeystore, orgRig, type OrgRig } from './orgProject.js';

/** configure's stages that deploy runs (src/shared/configure/configure.ts), titled as configure titles them. */
const DEPLOY_STAGES = [
  'Read the org and plan (API version, Legacy named credential, signing certificate, components, role ARN, assignments)',
  'Deploy the components that differ',
  "Set the principal's IAM role ARN",
  'Assign the permission set',
];

describe('the stage display when stdout is not a terminal (real sf, org simulator)', () => {
  let rig: OrgRig;
  let dir: string;

  before(async () => {
    rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
    dir = tempDir('iamra-progress-e2e-').dir;
  });
  after(async () => {
    await rig?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploy: every stage listed, each one done in order, the component counts of the deploy under its stage, no escape sequence', async () => {
    const run = await rig.run(['iamra', 'deploy', ...ARN_FLAGS]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expectStageList(run.stdout, 'Deploying IAM Roles Anywhere', DEPLOY_STAGES);
    const positions = DEPLOY_STAGES.map((s) => run.stdout.search(ended(s, 'done')));
    expect(positions.every((p) => p > 0), run.stdout).to.equal(true);
    expect([...positions].sort((a, b) => a - b)).to.deep.equal(positions);
    const deployId = rig.sim.deploys().at(-1)?.id;
    expect(deployId).to.be.a('string');
    // under "Deploy the components that differ", before the next stage starts
    const counts = run.stdout.indexOf(`Components: 3/3 (100%), deploy ${deployId}`);
    expect(counts, run.stdout).to.be.greaterThan(positions[0]);
    expect(counts).to.be.lessThan(run.stdout.indexOf(started(DEPLOY_STAGES[2])));
    expect(run.stdout, 'the results come after the display').to.match(/Elapsed time: .*\n[\s\S]*Deployed components/);
    expect(run.stdout + run.stderr).not.to.match(ESCAPE);
    expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
  });

  it('deploy --dry-run: the read and the plan, as configure --dry-run; no change stage is listed', async () => {
    const run = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--dry-run']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(ended(DEPLOY_STAGES[0], 'done'));
    expect(run.stdout).to.match(/Org now/);
    for (const s of DEPLOY_STAGES.slice(1)) expect(run.stdout).not.to.include(s);
  });

  it('deploy --json: stdout is the JSON and nothing else, stderr has no stage line', async () => {
    const run = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(() => JSON.parse(run.stdout) as unknown, run.stdout.slice(0, 400)).not.to.throw();
    expect(run.stdout.trim().startsWith('{') && run.stdout.trim().endsWith('}')).to.equal(true);
    for (const s of DEPLOY_STAGES) expect(run.stderr).not.to.include(s);
    expect(run.stdout).not.to.match(/Stages:|Elapsed time/);
  });

  it('csr create: checking, the deploy that makes the org generate the key, the CSR retrieved', async () => {
    const run = await rig.run(['iamra', 'csr', 'create', '--output', join(dir, 'progress.csr')]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const stages = ['Checking the org for a certificate of that name', 'Deploying the CA-signed certificate', 'Retrieving the certificate signing request'];
    expectStageList(run.stdout, 'Creating the certificate signing request', stages);
    for (const s of stages) expect(run.stdout).to.match(ended(s, 'done'));
    expect(run.stdout).to.match(/Components: 1\/1 \(100%\), deploy 0Af/);
    expect(run.stdout).not.to.match(ESCAPE);

    // again: the org already holds the pending CSR, so nothing is deployed and that step is skipped
    const again = await rig.run(['iamra', 'csr', 'create', '--output', join(dir, 'progress.csr'), '--force']);
    expect(again.code, again.stdout + again.stderr).to.equal(0);
    expect(again.stdout).to.match(ended(stages[1], 'skipped'));
    expect(again.stdout).to.match(ended(stages[2], 'done'));
  });

  it('csr complete --json: only the JSON, also on a refusal', async () => {
    const run = await rig.run(['iamra', 'csr', 'complete', '--certificate', join(dir, 'missing.pem'), '--json']);
    expect(run.code).to.not.equal(0);
    expect(run.json?.name, run.stdout).to.be.a('string');
    expect(run.stdout).not.to.match(/Stages:|Completing the certificate signing request/);
  });
});
