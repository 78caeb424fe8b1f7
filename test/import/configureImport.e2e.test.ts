/*
 * The guided import as `sf iamra configure --keystore` uses it (real sf, org simulator): the
 * simulated keystore import happens while configure waits -> configure goes on to the end;
 * non-interactive and not imported -> it stops at once with the instruction, nothing deployed;
 * with --preflight the keystore is read twice (the import's check, the pre-flight) and its password
 * is asked once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { plainText, type PtySession, ptyDrivers, skipWithoutPty } from '../helpers/pty.js';
import { projectRoot, SfCli } from '../helpers/sfCli.js';
import { ARN_FLAGS } from '../helpers/fixtures.js';
import { newEndpoint } from '../rolesanywhere/world.js';
import type { VerifyingEndpoint } from '../rolesanywhere/endpoint/verifyingEndpoint.js';
import { orgRig, type OrgRig } from '../org/e2e/orgProject.js';

const PASSWORD = 'test-only-guided-import';
const pki = (name: string): string => join(projectRoot, 'test', 'fixtures', 'pki', name);

describe('sf iamra configure --keystore: the guided import (real sf, org simulator)', () => {
  let rig: OrgRig;
  let keystore: string;
  const env = { IAMRA_KEYSTORE_PASSWORD: PASSWORD };
  let pty: PtySession | undefined;

  before(async function () {
    this.timeout(600_000); // four sf runs; the 2-core machine may be busy
    rig = await orgRig({ orgType: 'production', seed: (s) => s.installPackage('awsapn') });
    keystore = join(rig.projectDir, 'iamra.jks');
    const build = await rig.sf.run(
      ['iamra', 'keystore', 'build', '--certificate', pki('leaf-rsa2048.pem'), '--private-key', pki('leaf-rsa2048.key.pem'), '--chain', pki('chain.pem'), '--output', keystore, '--json'],
      { env }
    );
    expect(build.code, build.stdout + build.stderr).to.equal(0);
  });
  afterEach(() => pty?.close());
  after(async () => rig?.close());

  it('non-interactive and not imported: stops at once with the instruction, nothing deployed', async () => {
    const run = await rig.run(['iamra', 'configure', '--keystore', keystore, ...ARN_FLAGS, '--json'], env);
    expect(run.code).to.equal(1);
    expect(run.json?.name).to.equal('ImportRequiredError');
    expect(JSON.stringify(run.json?.actions)).to.include('Import from Keystore').and.include('iamra');
    expect(rig.sim.deploys()).to.deep.equal([]);
  });

  it('--dry-run and not imported: the plan shows the import to come; the Identity Provider, the browser and the org are left alone', async () => {
    const identityProvider = JSON.stringify(rig.sim.state.identityProvider);
    const from = rig.sim.requests.length;
    const run = await rig.run(['iamra', 'configure', '--keystore', keystore, ...ARN_FLAGS, '--dry-run', '--json'], env);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as { dryRun: boolean; plan: { route: string; rows: Array<Record<string, string>> } };
    expect(result.dryRun).to.equal(true);
    expect(result.plan.rows[0]).to.deep.equal({ item: 'Signing certificate', name: 'iamra', now: 'absent', wanted: 'imported', action: 'create' });
    expect(result.plan.route).to.equal('through-sts');
    expect(rig.sim.deploys()).to.deep.equal([]);
    expect(JSON.stringify(rig.sim.state.identityProvider)).to.equal(identityProvider);
    expect(rig.sim.requests.slice(from).filter((r) => r.method !== 'GET' && r.api !== 'metadata' && r.api !== 'identity')).to.deep.equal([]);
    const human = await rig.run(['iamra', 'configure', '--keystore', keystore, ...ARN_FLAGS, '--dry-run'], env);
    expect(human.code, human.stdout + human.stderr).to.equal(0);
    expect(human.stdout).to.match(/Certificate iamra is not in the org yet: a run without --dry-run would guide its import from .*iamra\.jks/);
    expect(human.stdout).to.not.match(/Waiting for it to appear|Opening/);
    expect(rig.sim.deploys()).to.deep.equal([]);
  });

  it('at a terminal: the import happens while configure waits, and configure goes on to S3', function () {
    const driver = ptyDrivers()[0];
    if (!driver) skipWithoutPty(this);
    return (async (): Promise<void> => {
      const argv = SfCli.get().argv(['iamra', 'configure', '--keystore', keystore, '--no-browser', ...ARN_FLAGS, '--target-org', rig.alias]);
      pty = await driver.start(argv, { env: SfCli.get().env({ SF_IAMRA_POLL_MS: '100', ...env }), cwd: rig.projectDir });
      await pty.waitFor(/Waiting for it to appear in the org/, 90_000);
      rig.sim.state.importKeystore(readFileSync(keystore), PASSWORD); // the admin's import in Setup (needs the identity provider on)
      expect(await pty.exitCode(180_000), plainText(pty.screen())).to.equal(0);
      expect(plainText(pty.screen())).to.match(/Certificate iamra is in the org \(compared the public key/);
      expect(plainText(pty.screen())).to.not.include(PASSWORD);
      expect(rig.sim.state.namedCredential('APN_API_Connection')?.url).to.match(/^https:\/\/s3\./);
    })();
  });

  it('--preflight at a terminal: the keystore password is asked once, for the import check and the pre-flight', function () {
    const driver = ptyDrivers()[0];
    if (!driver) skipWithoutPty(this);
    let endpoint: VerifyingEndpoint | undefined;
    return (async (): Promise<void> => {
      if (!rig.sim.state.certificate('iamra')) {
        rig.sim.state.identityProvider.enabled = true;
        rig.sim.state.importKeystore(readFileSync(keystore), PASSWORD);
      }
      endpoint = await newEndpoint().start();
      const sessions = endpoint.received.length;
      // No IAMRA_KEYSTORE_PASSWORD: the only route is the hidden prompt.
      const argv = SfCli.get().argv(['iamra', 'configure', '--keystore', keystore, '--preflight', '--endpoint', endpoint.url, '--no-browser', ...ARN_FLAGS, '--target-org', rig.alias]);
      pty = await driver.start(argv, { env: SfCli.get().env({ SF_IAMRA_POLL_MS: '100' }), cwd: rig.projectDir });
      await pty.waitFor(/Enter the keystore password/, 90_000);
      await pty.typeLine(PASSWORD);
      expect(await pty.exitCode(180_000), plainText(pty.screen())).to.equal(0);
      const screen = plainText(pty.screen());
      // The prompt redraws on each keystroke; it is answered (✔) once, and never asked again after that.
      expect(screen.match(/✔ Enter the keystore password/g), screen).to.have.length(1);
      const answered = '✔ Enter the keystore password';
      expect(screen.slice(screen.indexOf(answered) + answered.length), screen).to.not.include('Enter the keystore password');
      expect(screen).to.match(/Certificate iamra is in the org \(compared the public key/);
      expect(endpoint.received.length - sessions, 'one CreateSession: the pre-flight ran with the one answer').to.equal(1);
      expect(screen).to.not.include(PASSWORD);
    })().finally(() => {
      void endpoint?.stop();
    });
  });
});
