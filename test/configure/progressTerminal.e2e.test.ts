/*
 * `sf iamra configure` at a terminal (real sf under a pseudo-terminal, org simulator, verifying Roles
 * Anywhere endpoint): every secret is asked before the stage display starts, and once, though the
 * guided import (--keystore) and the pre-flight (CreateSession with the same keystore) both need the
 * keystore password; then the display draws the stages in place.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { plainText, type PtySession, ptyDrivers, skipWithoutPty } from '../helpers/pty.js';
import { projectRoot, SfCli, STACK_TRACE } from '../helpers/sfCli.js';
import { ARN } from '../helpers/fixtures.js';
import { orgRig, type OrgRig } from '../org/e2e/orgProject.js';
import { newEndpoint } from '../rolesanywhere/world.js';
import type { VerifyingEndpoint } from '../rolesanywhere/endpoint/verifyingEndpoint.js';

const PASSWORD = 'typed-at-the-terminal-8Rw';
const STORE_PROMPT = /Enter the keystore password \(input is hidden\):/g;
const TITLE = 'Configuring IAM Roles Anywhere';
const PREFLIGHT = 'IAM Roles Anywhere pre-flight (CreateSession)';
const pki = (name: string): string => join(projectRoot, 'test', 'fixtures', 'pki', name);

describe('sf iamra configure --keystore --preflight at a terminal: prompts first, then the stage display', () => {
  let rig: OrgRig;
  let endpoint: VerifyingEndpoint;
  let keystore: string;
  let pty: PtySession | undefined;

  before(async () => {
    endpoint = await newEndpoint().start();
    rig = await orgRig({ orgType: 'production' });
    keystore = join(rig.projectDir, 'iamra.jks');
    const build = await rig.sf.run(
      ['iamra', 'keystore', 'build', '--certificate', pki('leaf-rsa2048.pem'), '--private-key', pki('leaf-rsa2048.key.pem'), '--chain', pki('chain.pem'), '--output', keystore, '--json'],
      { env: { IAMRA_KEYSTORE_PASSWORD: PASSWORD } }
    );
    expect(build.code, build.stdout + build.stderr).to.equal(0);
    // the admin already imported it in Setup: the guided import finds it and compares the public key
    rig.sim.state.identityProvider = { ...rig.sim.state.identityProvider, enabled: true };
    rig.sim.state.importKeystore(readFileSync(keystore), PASSWORD);
  });
  afterEach(() => pty?.close());
  after(async () => {
    await rig?.close();
    await endpoint?.stop();
  });

  it('asks the keystore password once, before any stage is drawn; the pre-flight uses it; the stages are drawn in place', function () {
    const driver = ptyDrivers()[0];
    if (!driver) skipWithoutPty(this);
    return (async (): Promise<void> => {
      const sessionsBefore = endpoint.received.length;
      const argv = SfCli.get().argv([
        'iamra', 'configure', '--keystore', keystore, '--no-browser', '--preflight',
        '--trust-anchor-arn', ARN.anchor, '--profile-arn', ARN.profile, '--role-arn', ARN.role, '--endpoint', endpoint.url,
        '--target-org', rig.alias,
      ]);
      // no IAMRA_KEYSTORE_PASSWORD: the password can only come from the prompt
      pty = await driver.start(argv, { env: SfCli.get().env({ SF_IAMRA_POLL_MS: '100' }), cwd: rig.projectDir });
      await pty.waitFor(STORE_PROMPT, 90_000);
      expect(plainText(pty.screen()), 'nothing of the display before the prompt').not.to.include(TITLE).and.not.to.include(PREFLIGHT);
      await pty.typeLine(PASSWORD);
      const code = await pty.exitCode(180_000);
      const screen = plainText(pty.screen());
      expect(code, screen).to.equal(0);
      // typed once and done: a second prompt would have waited for an answer nobody typed
      // the first stage's title: the display may leave its own title out on a short terminal
      const display = screen.indexOf(PREFLIGHT);
      expect(display, 'the display after the prompt').to.be.greaterThan(screen.search(STORE_PROMPT));
      expect(screen.slice(display), 'no prompt once the display has started').not.to.match(STORE_PROMPT);
      expect(screen).to.match(/Certificate iamra is in the org/);
      expect(endpoint.received.length, 'the pre-flight called CreateSession').to.be.greaterThan(sessionsBefore);
      // drawn for a terminal (the line mode lists the stages first; the terminal display does not)
      expect(screen).not.to.include('Stages:');
      expect(screen).to.match(/✔ IAM Roles Anywhere pre-flight \(CreateSession\)/);
      expect(screen).to.match(/✔ Switch the credentials to S3 and deploy \d+m?s ▸ Components: 3\/3 \(100%\), deploy 0Af/);
      expect(screen, 'no count line under a stage that deploys nothing').to.match(/✔ Assign the permission set \d+m?s ✔ Smoke test/);
      expect(screen).to.match(/IAM Roles Anywhere is configured/);
      expect(pty.screen()).not.to.include(PASSWORD);
      expect(screen).not.to.match(STACK_TRACE);
      expect(rig.sim.state.namedCredential('APN_API_Connection')?.url).to.match(/^https:\/\/s3\./);
    })();
  });
});
