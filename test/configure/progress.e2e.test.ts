/*
 * `sf iamra configure`'s stage display as a CI log or a pipe shows it (real sf, org simulator, stdout
 * not a terminal): the stages, each one's status, the deploys' component counts, the plan between the
 * read and the changes, the rollback after the display; with --json nothing but the JSON.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { projectRoot, STACK_TRACE } from '../helpers/sfCli.js';
import { ARN_FLAGS } from '../helpers/fixtures.js';
import { ended, ESCAPE, expectStageList, started } from '../helpers/stages.js';
import { importTestKeystore, orgRig, type OrgRig } from '../org/e2e/orgProject.js';

const TITLE = 'Configuring IAM Roles Anywhere';
const IDS = ['aws-preflight', 'read-org', 'deploy-sts', 'deploy-changes', 'role-arn', 'permission-set', 'smoke-test', 'switch-to-s3', 'verify'];

/** The stage titles as the command's messages spell them. */
function titles(): Record<string, string> {
  const md = readFileSync(join(projectRoot, 'messages', 'iamra.configure.md'), 'utf8');
  return Object.fromEntries(IDS.map((id) => [id, new RegExp(`^# stage\\.${id}\\n\\n(.+)$`, 'm').exec(md)![1]]));
}

describe('sf iamra configure: the stage display when stdout is not a terminal (real sf, org simulator)', () => {
  const title = titles();
  let rig: OrgRig;
  before(async () => {
    rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
  });
  after(async () => rig?.close());

  it('fresh org: the read, then the plan, then the changes with their component counts, skipped stages named, no escape sequence', async () => {
    const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const out = run.stdout;
    // the first display: everything; after the plan, a second one with the stages still to come
    expectStageList(out, TITLE, IDS.map((id) => title[id]));
    expect(out).to.match(ended(title['aws-preflight'], 'skipped'));
    const read = out.search(ended(title['read-org'], 'done'));
    const plan = out.indexOf('Org now');
    const second = out.indexOf(`───── ${TITLE} ─────`, read);
    expect(read, out).to.be.greaterThan(0);
    expect(plan, 'the plan after the read').to.be.greaterThan(read);
    expect(second, 'then the rest').to.be.greaterThan(plan);
    expectStageList(out.slice(second), TITLE, IDS.slice(2).map((id) => title[id]));
    const rest = out.slice(second);
    const [sts, s3] = rig.sim.deploys().map((d) => d.id);
    for (const id of ['deploy-sts', 'role-arn', 'permission-set', 'smoke-test', 'switch-to-s3']) expect(rest).to.match(ended(title[id], 'done'));
    for (const id of ['deploy-changes', 'verify']) expect(rest).to.match(ended(title[id], 'skipped'));
    // each deploy's counts under its own stage
    const stsCounts = rest.indexOf(`Components: 3/3 (100%), deploy ${sts}`);
    expect(stsCounts, rest).to.be.greaterThan(rest.indexOf(started(title['deploy-sts'])));
    expect(stsCounts).to.be.lessThan(rest.indexOf(started(title['role-arn'])));
    expect(rest.indexOf(`Components: 3/3 (100%), deploy ${s3}`)).to.be.greaterThan(rest.indexOf(started(title['switch-to-s3'])));
    expect(out, 'the result after the display').to.match(/Elapsed time: [\s\S]*IAM Roles Anywhere is configured/);
    // each stage's outcome is told once, by the display: no table of the stages after it
    expect(out.slice(out.lastIndexOf('Elapsed time'))).not.to.include(title['read-org']);
    expect(out + run.stderr).not.to.match(ESCAPE);
    expect(out + run.stderr).not.to.match(STACK_TRACE);
  });

  it('re-run: "nothing to change", every changing stage shown skipped', async () => {
    const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/Nothing to change/);
    for (const id of ['deploy-sts', 'deploy-changes', 'role-arn', 'permission-set', 'smoke-test', 'switch-to-s3']) {
      expect(run.stdout).to.match(ended(title[id], 'skipped'));
    }
    expect(run.stdout).to.match(ended(title.verify, 'done'));
  });

  it('--json: stdout is the JSON and nothing else; no stage line on stderr', async () => {
    const run = await rig.run(['iamra', 'configure', ...ARN_FLAGS, '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(() => JSON.parse(run.stdout) as unknown, run.stdout.slice(0, 400)).not.to.throw();
    expect(run.stdout).not.to.match(/Stages:|Elapsed time|Org now/);
    for (const id of IDS) expect(run.stderr).not.to.include(title[id]);
  });

  it('a failing stage: shown failed, the rollback after the display', async () => {
    // a role the AWS account does not allow, on the configured org: set in place, the check in place fails, configure undoes it
    const other = ARN_FLAGS.map((a) => a.replace(/role\/\w+$/, 'role/NotAllowedByTheProfile'));
    const run = await rig.run(['iamra', 'configure', ...other]);
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    const failed = run.stdout.search(ended(title.verify, 'failed'));
    expect(failed, run.stdout).to.be.greaterThan(0);
    const rollback = run.stdout.indexOf('Rolling back');
    expect(rollback, 'the rollback after the display').to.be.greaterThan(run.stdout.indexOf('Elapsed time', failed));
    expect(run.stdout).to.match(ended(title['role-arn'], 'done'));
    expect(run.stdout).to.match(/Undone: restore the role ARN/);
    expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
  });
});
