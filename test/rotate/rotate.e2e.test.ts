/*
 * `sf iamra rotate` end to end through the real sf against the org simulator: from iamra to
 * iamra_2027 and back, a re-run that changes nothing, a missing certificate refused before any
 * deploy, a failing live check that puts the old certificate back, and --delete-old (refused while
 * something else uses the old certificate, which the org itself refuses too). Needs `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ended, ESCAPE } from '../helpers/stages.js';
import type { RotateResult } from '../../src/shared/rotate/service.js';
import { projectRoot, STACK_TRACE } from '../helpers/sfCli.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import { ARN_FLAGS } from '../helpers/fixtures.js';
import { orgRig, type OrgRig } from '../org/e2e/orgProject.js';

const EC = 'AWS_IAM_Anywhere_Credential';
const NC = 'APN_API_Connection';
const pki = (name: string): string => join(projectRoot, 'test', 'fixtures', 'pki', name);

describe('sf iamra rotate (real sf, org simulator)', () => {
  let rig: OrgRig;
  const signsWith = (): { ec?: string; nc?: string } => {
    const signing = rig.sim.state.externalCredential(EC)?.parameters.find((p) => p.parameterType === 'SigningCertificate');
    return { ec: signing?.certificate ?? signing?.parameterValue, nc: rig.sim.state.namedCredential(NC)?.clientCertificate };
  };

  before(async function () {
    this.timeout(600_000); // four sf runs; the 2-core machine may be busy
    rig = await orgRig({ orgType: 'production', seed: (s) => s.installPackage('awsapn') });
    // Real keystores imported as Setup does (the simulator's callout needs the imported private key).
    rig.sim.state.identityProvider.enabled = true;
    for (const alias of ['iamra', 'iamra_2027']) {
      const file = join(rig.projectDir, `${alias}.jks`);
      // eslint-disable-next-line no-await-in-loop
      const build = await rig.sf.run(
        ['iamra', 'keystore', 'build', '--certificate', pki('leaf-rsa2048.pem'), '--private-key', pki('leaf-rsa2048.key.pem'), '--chain', pki('chain.pem'), '--alias', alias, '--output', file, '--json'],
        { env: { IAMRA_KEYSTORE_PASSWORD: 'test-only-rotate' } }
      );
      expect(build.code, build.stdout + build.stderr).to.equal(0);
      rig.sim.state.importKeystore(readFileSync(file), 'test-only-rotate');
    }
    const deploy = await rig.run(['iamra', 'deploy', '--service', 's3', ...ARN_FLAGS, '--json']);
    expect(deploy.code, deploy.stdout + deploy.stderr).to.equal(0);
    expect(signsWith()).to.deep.equal({ ec: 'iamra', nc: 'iamra' });
  });
  after(async () => rig?.close());

  it('iamra -> iamra_2027: one deploy repoints both credentials, the live check passes, the old certificate is kept', async () => {
    const deploys = rig.sim.deploys().length;
    const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra_2027', '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as RotateResult;
    expectMatchesSchema('iamra rotate', result);
    expect(result).to.deep.include({ action: 'rotated', from: 'iamra', to: 'iamra_2027' });
    expect(result.liveCheck).to.deep.include({ passed: true, service: 's3' });
    expect(result.deleteOldCommand).to.match(/^sf project delete source --metadata Certificate:iamra --target-org /);
    expect(signsWith()).to.deep.equal({ ec: 'iamra_2027', nc: 'iamra_2027' });
    expect(rig.sim.deploys().length).to.equal(deploys + 1);
    expect(rig.sim.state.certificate('iamra')).to.not.equal(undefined);
    // Everything else in the credentials is as it was: doctor finds no drift against the deployed values.
    const doctor = await rig.run(['iamra', 'doctor', '--no-callout', '--certificate-name', 'iamra_2027', ...ARN_FLAGS, '--json']);
    const checks = (doctor.json?.result as { checks: Array<{ id: string; status: string }> }).checks;
    expect(checks.filter((c) => ['external-credential', 'named-credential', 'signing-certificate'].includes(c.id)).map((c) => c.status)).to.deep.equal(['pass', 'pass', 'pass']);
  });

  it('a re-run with the same certificate changes nothing (no deploy)', async () => {
    const deploys = rig.sim.deploys().length;
    const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra_2027', '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect((run.json?.result as RotateResult).action).to.equal('unchanged');
    expect(rig.sim.deploys().length).to.equal(deploys);
  });

  it('and back to iamra (human output: what changed, the live check, how to delete the old one; no token)', async () => {
    const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/now sign with iamra \(was iamra_2027\)/);
    expect(run.stdout).to.match(/Live check: S3 answered through APN_API_Connection \(HTTP 403\): the IAM Roles Anywhere chain signs its requests/);
    expect(run.stdout).to.include('sf project delete source --metadata Certificate:iamra_2027');
    // the stage display, as a CI log shows it: each step done, the deploy's counts, no rollback
    expect(run.stdout).to.include('───── Rotating to certificate iamra ─────');
    for (const stage of ['Checking the new certificate in the org', 'Reading the external and named credential', 'Deploying the credentials on the new certificate', 'Live check through the named credential']) {
      expect(run.stdout).to.match(ended(stage, 'done'));
    }
    expect(run.stdout).to.match(/Components: 2\/2 \(100%\), deploy 0Af/);
    expect(run.stdout).to.match(ended('Putting the previous certificate back (the live check failed)', 'skipped'));
    expect(run.stdout + run.stderr).not.to.match(ESCAPE);
    expect(run.stdout + run.stderr).to.not.include(rig.sim.accessToken);
    expect(run.stdout + run.stderr).to.not.match(STACK_TRACE);
    expect(signsWith()).to.deep.equal({ ec: 'iamra', nc: 'iamra' });
  });

  it('a certificate that is not in the org is refused before any deploy, with the import instruction', async () => {
    const deploys = rig.sim.deploys().length;
    const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra_2028', '--json']);
    expect(run.code).to.equal(1);
    expect(run.json?.name).to.equal('NewCertificateMissingError');
    expect(JSON.stringify(run.json?.actions)).to.include('Import from Keystore');
    expect(rig.sim.deploys().length).to.equal(deploys);
    expect(signsWith()).to.deep.equal({ ec: 'iamra', nc: 'iamra' });
  });

  it('an expired certificate is refused before any deploy', async () => {
    rig.sim.state.importCertificate('iamra_old', { expirationDate: '2020-01-01T00:00:00.000Z' });
    const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra_old', '--json']);
    expect(run.code).to.equal(1);
    expect(run.json?.name).to.equal('NewCertificateExpiredError');
    expect(signsWith()).to.deep.equal({ ec: 'iamra', nc: 'iamra' });
  });

  it('a failing live check rolls back to the old certificate and exits 1', async () => {
    const deploys = rig.sim.deploys().length;
    rig.sim.state.aws.rejectRole = 'InvalidClientTokenId';
    try {
      const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra_2027', '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.json?.name).to.equal('LiveCheckFailedRolledBackError');
      expect(run.json?.message).to.match(/deployed back: the credentials sign with iamra again/);
      expect((run.json?.data as { action: string }).action).to.equal('rolledBack');
      expect(rig.sim.deploys().length).to.equal(deploys + 2);
      expect(signsWith()).to.deep.equal({ ec: 'iamra', nc: 'iamra' });
      // as a CI log shows it: the live check failed, the rollback worked
      const human = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra_2027']);
      expect(human.code, human.stdout + human.stderr).to.equal(1);
      expect(human.stdout).to.match(ended('Live check through the named credential', 'failed'));
      expect(human.stdout).to.match(ended('Putting the previous certificate back (the live check failed)', 'done'));
      expect(human.stdout).to.not.match(ended('Live check through the named credential', 'done'));
      expect(signsWith()).to.deep.equal({ ec: 'iamra', nc: 'iamra' });
    } finally {
      delete rig.sim.state.aws.rejectRole;
    }
  });

  it('the printed delete command is refused by the org while the credentials still use that certificate', async () => {
    // Now signing with iamra: deleting it would break the connector; the org says which component uses it.
    const run = await rig.run(['project', 'delete', 'source', '--metadata', 'Certificate:iamra', '--no-prompt', '--json']);
    expect(run.code, run.stdout + run.stderr).to.not.equal(0);
    expect(run.stdout + run.stderr).to.include(`in use by external credential ${EC}`);
    expect(rig.sim.state.certificate('iamra')).to.not.equal(undefined);
  });

  it('--delete-old keeps the old certificate, saying what uses it, while something else in the org still does', async () => {
    // The admin points the Identity Provider at iamra in Setup (the org's state and what a retrieve returns).
    const identityProvider = rig.sim.state.identityProvider;
    const setIdentityProvider = (certificateName?: string): void => {
      rig.sim.state.identityProvider = { enabled: true, certificateName };
      rig.sim.state.storeComponent('Settings', 'IdentityProvider', {
        'settings/IdentityProvider.settings': Buffer.from(
          `<?xml version="1.0" encoding="UTF-8"?>\n<IdentityProviderSettings xmlns="http://soap.sforce.com/2006/04/metadata">\n    <certificateName>${certificateName ?? ''}</certificateName>\n    <enableIdentityProvider>true</enableIdentityProvider>\n</IdentityProviderSettings>\n`
        ),
      });
    };
    setIdentityProvider('iamra');
    try {
      const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra_2027', '--delete-old', '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const result = run.json?.result as RotateResult;
      expectMatchesSchema('iamra rotate', result);
      expect(result.action).to.equal('rotated');
      expect(result.oldCertificate).to.deep.equal({
        name: 'iamra',
        action: 'kept',
        usedBy: ['the Identity Provider'],
        reason: 'the Identity Provider still uses it, so it was not deleted',
      });
      expect(JSON.stringify(run.json?.warnings)).to.include('The old certificate iamra was kept: the Identity Provider still uses it');
      expect(result.deleteOldCommand).to.include('Certificate:iamra');
      expect(rig.sim.state.certificate('iamra')).to.not.equal(undefined);
      expect(signsWith()).to.deep.equal({ ec: 'iamra_2027', nc: 'iamra_2027' });
    } finally {
      setIdentityProvider(undefined);
      rig.sim.state.identityProvider = identityProvider;
    }
  });

  it('--delete-old after a passed live check deletes the old certificate (a destructive deploy the org accepts)', async () => {
    const deploys = rig.sim.deploys().length;
    const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra', '--delete-old']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/now sign with iamra \(was iamra_2027\)/);
    expect(run.stdout).to.match(/Deleted the old certificate iamra_2027; deploy /);
    expect(run.stdout).to.not.include('sf project delete source');
    expect(rig.sim.deploys().length).to.equal(deploys + 2);
    expect(rig.sim.state.certificate('iamra_2027')).to.equal(undefined);
    expect(rig.sim.state.signingKey('iamra_2027')).to.equal(undefined);
    expect(signsWith()).to.deep.equal({ ec: 'iamra', nc: 'iamra' });
  });

  it('--delete-old with a failing live check rolls back and deletes nothing', async () => {
    // iamra_2027 is back in the org (a renewed import), and the live check fails with it.
    rig.sim.state.importKeystore(readFileSync(join(rig.projectDir, 'iamra_2027.jks')), 'test-only-rotate');
    rig.sim.state.aws.rejectRole = 'InvalidClientTokenId';
    try {
      const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra_2027', '--delete-old', '--json']);
      expect(run.code).to.equal(1);
      expect(run.json?.name).to.equal('LiveCheckFailedRolledBackError');
      expect(rig.sim.state.certificate('iamra')).to.not.equal(undefined);
      expect(signsWith()).to.deep.equal({ ec: 'iamra', nc: 'iamra' });
    } finally {
      delete rig.sim.state.aws.rejectRole;
    }
  });
  describe('with the new key on this machine: the CreateSession pre-flight first', () => {
    const pem = (intermediates: boolean): string[] => [
      '--certificate', pki('leaf-rsa2048.pem'),
      '--private-key', pki('leaf-rsa2048.key.pem'),
      ...(intermediates ? ['--intermediates', pki('chain.pem')] : []),
      '--endpoint', rig.sim.aws?.endpoints.rolesAnywhere ?? '',
    ];

    it('AWS refuses the key (chain not sent): the rotation stops before any org change, with AWS\'s reason', async () => {
      const deploys = rig.sim.deploys().length;
      const sessions = rig.sim.aws?.rolesAnywhere.received.length ?? 0;
      const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra_2027', ...pem(false), '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.json?.name).to.equal('PreflightFailedError');
      expect(run.json?.message).to.match(/^The pre-flight CreateSession with the new key failed, so nothing in the org was changed: /);
      expect(rig.sim.aws?.rolesAnywhere.received.length).to.equal(sessions + 1);
      expect(rig.sim.deploys().length).to.equal(deploys);
      expect(signsWith()).to.deep.equal({ ec: 'iamra', nc: 'iamra' });
      expect(run.stdout + run.stderr).to.not.match(STACK_TRACE);
    });

    it('AWS accepts the key: the pre-flight passes with the org\'s trust anchor, profile and role, then it rotates', async () => {
      const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra_2027', ...pem(true), '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const result = run.json?.result as RotateResult & { preflight?: { assumedRoleArn: string; endpoint: string } };
      expectMatchesSchema('iamra rotate', result);
      expect(result.preflight?.assumedRoleArn).to.match(/^arn:aws:sts::123456789012:assumed-role\/APNPartnerCRMConnectorRole\//);
      expect(result.action).to.equal('rotated');
      expect(signsWith()).to.deep.equal({ ec: 'iamra_2027', nc: 'iamra_2027' });
    });
  });

  // after the pre-flight rows (mocha runs nested suites after a suite's own tests): it rotates back from iamra_2027
  describe('the org refuses the delete', () => {
    it('--delete-old when the org refuses the delete for a reason the plugin cannot read: the rotation stands, the old certificate is kept with the org\'s words', async () => {
      // e.g. a managed package's credential that names the certificate: nothing the plugin's reads show
      const problem = 'This certificate is in use by awsapn__Partner_Credential';
      rig.sim.faults.failDeploy({ problem, only: 'destructive' });
      const deploys = rig.sim.deploys().length;
      const run = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra', '--delete-old', '--json']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const result = run.json?.result as RotateResult;
      expectMatchesSchema('iamra rotate', result);
      expect(result.action).to.equal('rotated');
      expect(result.oldCertificate).to.deep.equal({ name: 'iamra_2027', action: 'kept', reason: `the org refused to delete it (${problem})` });
      expect(JSON.stringify(run.json?.warnings)).to.include(`The old certificate iamra_2027 was kept: the org refused to delete it (${problem})`);
      expect(result.deleteOldCommand).to.include('Certificate:iamra_2027');
      expect(rig.sim.deploys().length, 'the repoint and the refused delete').to.equal(deploys + 2);
      expect(rig.sim.state.certificate('iamra_2027')).to.not.equal(undefined);
      expect(signsWith()).to.deep.equal({ ec: 'iamra', nc: 'iamra' });
    });
  });
});
