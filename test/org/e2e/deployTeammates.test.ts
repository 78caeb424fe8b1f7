/*
 * `sf iamra deploy` on a sandbox a teammate, a CI job or a fresh clone already deployed to (real sf,
 * org simulator): the plugin's own components the org holds with the same content are no conflict;
 * different content is refused naming the component with a short diff; -c/--ignore-conflicts (as
 * `sf project deploy start` names it) deploys over it.
 */
import { rmSync } from 'node:fs';
import { expect } from 'chai';
import { STACK_TRACE } from '../../helpers/sfCli.js';
import { ARN, ARN_FLAGS } from '../../helpers/fixtures.js';
import { cloneProject, importTestKeystore, orgRig, type OrgRig, runIn } from './orgProject.js';

const OTHER_TRUST_ANCHOR = 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/9f9f9f9f-4e5f-6789-abcd-ef0123456789';
const withOtherAnchor = ['--trust-anchor-arn', OTHER_TRUST_ANCHOR, '--profile-arn', ARN.profile, '--role-arn', ARN.role];
const anchorInOrg = (rig: OrgRig): string | undefined =>
  rig.sim.state.externalCredential('AWS_IAM_Anywhere_Credential')?.parameters.find((p) => p.parameterName === 'AwsTrustAnchorArn')?.parameterValue;

describe('sf iamra deploy with teammates and CI (real sf, org simulator)', function () {
  this.timeout(240_000);
  let rig: OrgRig;
  const clones: string[] = [];
  before(async () => {
    rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
    const first = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--json']);
    expect(first.code, first.stdout + first.stderr).to.equal(0);
  });
  after(async () => {
    clones.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
    await rig?.close();
  });

  it('a second checkout with the same files: no conflict, the deploy succeeds', async () => {
    const clone = cloneProject(rig, true);
    clones.push(clone);
    const run = await runIn(rig, clone, ['iamra', 'deploy', ...ARN_FLAGS, '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(anchorInOrg(rig)).to.equal(ARN.anchor);
  });

  it('different content in the org: refused naming the component with a short diff, the org untouched; -c deploys over it', async () => {
    const clone = cloneProject(rig, false);
    clones.push(clone);
    const deploys = rig.sim.deploys().length;
    const run = await runIn(rig, clone, ['iamra', 'deploy', ...withOtherAnchor, '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    expect(run.json?.name).to.equal('ComponentConflictError');
    expect(run.json?.message).to.match(/ExternalCredential AWS_IAM_Anywhere_Credential/);
    expect(run.json?.message).to.include(`- ExternalCredential.externalCredentialParameters[parameterName=AwsTrustAnchorArn].parameterValue = ${ARN.anchor}`);
    expect(run.json?.message).to.include(`+ ExternalCredential.externalCredentialParameters[parameterName=AwsTrustAnchorArn].parameterValue = ${OTHER_TRUST_ANCHOR}`);
    // The components whose content is the same are not named.
    expect(run.json?.message).not.to.match(/NamedCredential APN_API_Connection:/);
    expect(JSON.stringify(run.json?.actions)).to.match(/--ignore-conflicts/);
    expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
    expect(rig.sim.deploys().length, 'nothing deployed').to.equal(deploys);
    expect(anchorInOrg(rig)).to.equal(ARN.anchor);

    const forced = await runIn(rig, clone, ['iamra', 'deploy', ...withOtherAnchor, '-c', '--json']);
    expect(forced.code, forced.stdout + forced.stderr).to.equal(0);
    expect(anchorInOrg(rig)).to.equal(OTHER_TRUST_ANCHOR);
  });
});
