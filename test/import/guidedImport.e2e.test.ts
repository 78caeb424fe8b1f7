/*
 * The guided keystore import, through `sf iamra rotate --keystore` and the real sf against the org
 * simulator: already present -> skipped; a same-name certificate with another key refused;
 * non-interactive -> fails at once with the instruction; at a terminal the (simulated) import in Setup
 * happens while the command waits -> it goes on; and a timeout. No keystore password in any output.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { plainText, type PtySession, ptyDrivers, skipWithoutPty } from '../helpers/pty.js';
import { projectRoot, SfCli, STACK_TRACE } from '../helpers/sfCli.js';
import { ARN_FLAGS } from '../helpers/fixtures.js';
import { orgRig, type OrgRig } from '../org/e2e/orgProject.js';
import { expectNoSecretsLeft } from '../aws/secretScan.js';

const PASSWORD = 'test-only-guided-import';
const pki = (name: string): string => join(projectRoot, 'test', 'fixtures', 'pki', name);
const LEAF_PEM = readFileSync(pki('leaf-rsa2048.pem'), 'utf8');
const OTHER_PEM = readFileSync(pki('leaf-rsa3072.pem'), 'utf8');

describe('guided keystore import (sf iamra rotate --keystore, real sf, org simulator)', () => {
  let rig: OrgRig;
  let keystore: string;
  const env = { IAMRA_KEYSTORE_PASSWORD: PASSWORD };
  const signingCertificate = (): string | undefined =>
    rig.sim.state.externalCredential('AWS_IAM_Anywhere_Credential')?.parameters.find((p) => p.parameterType === 'SigningCertificate')?.certificate;
  // rotate --keystore runs the CreateSession pre-flight first: against the test AWS account the org's callouts reach.
  const endpointFlag = (): string[] => ['--endpoint', rig.sim.aws?.endpoints.rolesAnywhere ?? ''];
  const dropCertificate = (name: string): void => {
    const index = rig.sim.state.certificates.findIndex((c) => c.developerName === name);
    if (index >= 0) rig.sim.state.certificates.splice(index, 1);
  };

  before(async function () {
    this.timeout(600_000); // four sf runs; the 2-core machine may be busy
    rig = await orgRig({ orgType: 'production' });
    // The current certificate, a real keystore imported as Setup does (the simulator's callout needs its key).
    const current = join(rig.projectDir, 'iamra.jks');
    const first = await rig.sf.run(
      ['iamra', 'keystore', 'build', '--certificate', pki('leaf-rsa2048.pem'), '--private-key', pki('leaf-rsa2048.key.pem'), '--chain', pki('chain.pem'), '--output', current, '--json'],
      { env }
    );
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    rig.sim.state.identityProvider.enabled = true;
    rig.sim.state.importKeystore(readFileSync(current), PASSWORD);
    rig.sim.state.identityProvider.enabled = false;
    keystore = join(rig.projectDir, 'iamra_2027.jks');
    const build = await rig.sf.run(
      ['iamra', 'keystore', 'build', '--certificate', pki('leaf-rsa2048.pem'), '--private-key', pki('leaf-rsa2048.key.pem'), '--chain', pki('chain.pem'),
        '--alias', 'iamra_2027', '--output', keystore, '--json'],
      { env }
    );
    expect(build.code, build.stdout + build.stderr).to.equal(0);
    const deploy = await rig.run(['iamra', 'deploy', '--service', 's3', ...ARN_FLAGS, '--json']);
    expect(deploy.code, deploy.stdout + deploy.stderr).to.equal(0);
  });
  after(async () => rig?.close());

  it('non-interactive, not imported yet: fails at once with the instruction (file, alias, Setup page), nothing deployed', async () => {
    const deploys = rig.sim.deploys().length;
    const run = await rig.run(['iamra', 'rotate', '--keystore', keystore, ...endpointFlag(), '--json'], env);
    expect(run.code).to.equal(1);
    expect(run.json?.name).to.equal('ImportRequiredError');
    const actions = JSON.stringify(run.json?.actions);
    expect(actions).to.include('Import from Keystore').and.include(keystore).and.include('iamra_2027');
    expect(rig.sim.deploys().length).to.equal(deploys);
    expect(run.stdout + run.stderr).to.not.include(PASSWORD);
    expect(run.stdout + run.stderr).to.not.include(rig.sim.accessToken);
  });

  it('a same-name certificate with another key is refused, saying what was compared', async () => {
    rig.sim.state.importCertificate('iamra_2027', { content: OTHER_PEM });
    try {
      const run = await rig.run(['iamra', 'rotate', '--keystore', keystore, ...endpointFlag(), '--json'], env);
      expect(run.code).to.equal(1);
      expect(run.json?.name).to.equal('OtherKeyError');
      expect(run.json?.message).to.match(/not this keystore's: the org's certificate .* has another public key \(compared the public key/);
      expect(signingCertificate()).to.equal('iamra');
    } finally {
      dropCertificate('iamra_2027');
    }
  });

  it('without key material in the org, the expiry date and key size are compared, and the result says so', async () => {
    const notAfter = new Date(new (await import('node:crypto')).X509Certificate(LEAF_PEM).validTo).toISOString();
    rig.sim.state.importCertificate('iamra_2027', { expirationDate: notAfter, keySize: 3072 });
    try {
      const run = await rig.run(['iamra', 'rotate', '--keystore', keystore, ...endpointFlag(), '--json'], env);
      expect(run.code).to.equal(1);
      expect(run.json?.message).to.match(/has a 3072-bit key, the keystore 2048 \(the org exposes no key material/);
    } finally {
      dropCertificate('iamra_2027');
    }
  });

  it('already imported and matching: the import step is skipped and the rotation goes on', async () => {
    const identityProvider = rig.sim.state.identityProvider;
    rig.sim.state.identityProvider = { ...identityProvider, enabled: true };
    rig.sim.state.importKeystore(readFileSync(keystore), PASSWORD); // the admin already imported it, key and all
    rig.sim.state.identityProvider = identityProvider; // the later rows start with it off
    try {
      const run = await rig.run(['iamra', 'rotate', '--keystore', keystore, ...endpointFlag(), '--json'], env);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const result = run.json?.result as { action: string; import: { action: string; compared: string }; preflight?: { assumedRoleArn: string } };
      expect(result.import).to.deep.include({ action: 'present', compared: 'public-key' });
      // The keystore is local: its key went through CreateSession before the org was touched.
      expect(result.preflight?.assumedRoleArn).to.match(/:assumed-role\/APNPartnerCRMConnectorRole\//);
      expect(result.action).to.equal('rotated');
      expect(signingCertificate()).to.equal('iamra_2027');
      expect(run.stdout + run.stderr).to.not.include(PASSWORD);
    } finally {
      const back = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra', '--json']);
      expect(back.code).to.equal(0);
      dropCertificate('iamra_2027');
    }
  });

  it('no secret in any output or log: rotate --keystore (pre-flight, import check) and doctor --keystore at trace level', async () => {
    rig.sim.state.identityProvider = { ...rig.sim.state.identityProvider, enabled: true };
    rig.sim.state.importKeystore(readFileSync(keystore), PASSWORD);
    const traced = { ...env, SF_LOG_LEVEL: 'trace' };
    try {
      const rotate = await rig.run(['iamra', 'rotate', '--keystore', keystore, ...endpointFlag(), '--json'], traced);
      expect(rotate.code, rotate.stdout + rotate.stderr).to.equal(0);
      const doctor = await rig.run(['iamra', 'doctor', '--keystore', keystore, '--json'], traced);
      expect(doctor.code, doctor.stdout + doctor.stderr).to.be.oneOf([0, 1]);
      const issued = (rig.sim.aws?.issued ?? []).flatMap((c) => [c.secretAccessKey, c.sessionToken]).filter((s): s is string => Boolean(s));
      expect(issued.length, 'the pre-flight and the live checks were issued credentials').to.be.greaterThan(0);
      expectNoSecretsLeft({
        dirs: [rig.projectDir, rig.sf.home],
        texts: [rotate.stdout, rotate.stderr, doctor.stdout, doctor.stderr],
        secrets: [PASSWORD, ...issued],
      });
    } finally {
      const back = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra', '--json']);
      expect(back.code, back.stdout + back.stderr).to.equal(0);
      dropCertificate('iamra_2027');
      rig.sim.state.identityProvider = { ...rig.sim.state.identityProvider, enabled: false };
    }
  });

  describe('at a terminal', () => {
    const drivers = ptyDrivers();
    if (drivers.length === 0) {
      it('runs under a pseudo-terminal', function () {
        skipWithoutPty(this);
      });
      return;
    }
    const driver = drivers[0];
    let pty: PtySession | undefined;
    afterEach(() => pty?.close());
    const start = async (extra: string[], browserEnv?: NodeJS.ProcessEnv): Promise<PtySession> => {
      const browser = browserEnv ? [] : ['--no-browser'];
      const argv = SfCli.get().argv(['iamra', 'rotate', '--keystore', keystore, ...endpointFlag(), ...browser, '--target-org', rig.alias, ...extra]);
      pty = await driver.start(argv, { env: SfCli.get().env({ SF_IAMRA_POLL_MS: '100', ...env, ...browserEnv }), cwd: rig.projectDir });
      return pty;
    };

    it('enables the identity provider, prints the Setup address, waits; the import happens meanwhile -> it rotates', async () => {
      expect(rig.sim.state.identityProvider.enabled).to.equal(false);
      const session = await start([]);
      await session.waitFor(/Waiting for it to appear in the org/, 90_000);
      const shown = plainText(session.screen());
      expect(shown).to.include('Enabled the Identity Provider');
      expect(shown.replace(/\s+/g, ''), shown).to.include(`${rig.sim.instanceUrl}/lightning/setup/CertificatesAndKeysManagement/home`);
      expect(shown.replace(/\s+/g, '')).to.include(keystore.replace(/\s+/g, ''));
      expect(rig.sim.state.identityProvider.enabled).to.equal(true);
      rig.sim.state.importKeystore(readFileSync(keystore), PASSWORD); // the admin's import in Setup (needs the identity provider on)
      expect(await session.exitCode(90_000)).to.equal(0);
      const after = plainText(session.screen());
      expect(after).to.match(/Certificate iamra_2027 is in the org \(compared the public key/);
      expect(after).to.match(/now sign with iamra_2027/);
      expect(after).to.not.include(PASSWORD);
      expect(after).to.not.include(rig.sim.accessToken);
      expect(after).to.not.match(STACK_TRACE);
      expect(signingCertificate()).to.equal('iamra_2027');
    });

    it('times out with a clear message when nothing is imported', async () => {
      const back = await rig.run(['iamra', 'rotate', '--certificate-name', 'iamra', '--json']);
      expect(back.code).to.equal(0);
      dropCertificate('iamra_2027');
      const deploys = rig.sim.deploys().length;
      const session = await start(['--import-timeout', '3']);
      expect(await session.exitCode(90_000)).to.equal(1);
      expect(plainText(session.screen())).to.match(/No certificate named iamra_2027 appeared in the org within 3 seconds/);
      expect(rig.sim.deploys().length).to.equal(deploys);
      expect(signingCertificate()).to.equal('iamra');
    });

    it('opens Setup in the browser as `sf org open --path` does: a single-use frontdoor URL to the browser only', async () => {
      // A fake browser: the `open` package's xdg-open runs $BROWSER with the URL when no desktop is running.
      const dir = mkdtempSync(join(tmpdir(), 'iamra-browser-'));
      const opened = join(dir, 'opened.txt');
      const fakeBrowser = join(dir, 'browser.sh');
      writeFileSync(fakeBrowser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`, { mode: 0o755 });
      try {
        const session = await start([], {
          BROWSER: fakeBrowser,
          DISPLAY: '',
          WAYLAND_DISPLAY: '',
          XDG_CURRENT_DESKTOP: '',
          SF_CONTAINER_MODE: '',
        });
        await session.waitFor(/Waiting for it to appear in the org/, 90_000);
        await waitForFile(opened);
        const [url] = readFileSync(opened, 'utf8').trim().split('\n');
        const frontdoor = new URL(url);
        expect(frontdoor.origin + frontdoor.pathname).to.equal(`${rig.sim.instanceUrl}/secur/frontdoor.jsp`);
        expect(frontdoor.searchParams.get('startURL')).to.equal('/lightning/setup/CertificatesAndKeysManagement/home');
        expect(url).to.not.include(rig.sim.accessToken);
        // What the browser does with it: one use lands on the Setup page.
        const landing = await fetch(url, { redirect: 'manual' });
        expect(landing.status).to.equal(302);
        expect(landing.headers.get('location')).to.equal(`${rig.sim.instanceUrl}/lightning/setup/CertificatesAndKeysManagement/home`);
        rig.sim.state.importKeystore(readFileSync(keystore), PASSWORD);
        expect(await session.exitCode(90_000)).to.equal(0);
        const screen = plainText(session.screen());
        expect(screen).to.include('Opened Setup > Certificate and Key Management in your browser.');
        // Neither the session id nor the one-time code reaches the terminal.
        expect(screen).to.not.include(rig.sim.accessToken);
        expect(screen).to.not.include(frontdoor.searchParams.get('otp') ?? 'no-otp');
        expect(screen).to.not.include('frontdoor.jsp');
        expect(signingCertificate()).to.equal('iamra_2027');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

async function waitForFile(path: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // eslint-disable-next-line no-await-in-loop
  while (!existsSync(path) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
  if (!existsSync(path)) throw new Error(`the browser was not opened within ${timeoutMs} ms`);
}
