/*
 * sf iamra keystore build at a terminal: with no secret in the environment or a file, the real sf
 * binary asks for the key passphrase and the keystore password with echo hidden. Runs under a
 * pseudo-terminal (util-linux `script` and tmux, each one installed) and types the secrets in; no
 * secret is on any command line.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { plainText, type PtyDriver, type PtySession, ptyDrivers, skipWithoutPty } from '../helpers/pty.js';
import { projectRoot, SfCli, STACK_TRACE } from '../helpers/sfCli.js';
import { PASSPHRASE, pki } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tempProject.js';
import { opens } from './verifiers.js';

const example = (name: string): string => pki('example', name);
const buildArgs = (output: string): string[] => [
  'iamra', 'keystore', 'build', '--certificate', example('certificate.pem'), '--chain', example('certificate_chain.pem'),
  '--private-key', example('private_key.pem'), '--output', output,
];
const KEY_PROMPT = /Enter the key passphrase \(input is hidden\):/;
const STORE_PROMPT = /Enter the keystore password \(input is hidden\):/;
/** Typed at the keystore-password prompt; distinctive, so finding it on the screen means it was echoed. */
const TYPED_STORE_PASSWORD = 'typed-at-the-prompt-7Qx';

/** Neither the raw bytes the terminal got nor the text a person reads there contains `secret`. */
function expectNotShown(screen: string, secret: string): void {
  expect(screen, 'the typed secret is not echoed (raw terminal bytes)').to.not.include(secret);
  expect(plainText(screen), 'the typed secret is not echoed (what the terminal shows)').to.not.include(secret);
}

describe('sf iamra keystore build: hidden prompts at a terminal', () => {
  const drivers = ptyDrivers();
  const temp = tempDir();
  after(() => temp.cleanup());

  if (drivers.length === 0) {
    it('runs under a pseudo-terminal', function () {
      skipWithoutPty(this);
    });
  }
  for (const driver of drivers) describeWith(driver);

  function describeWith(driver: PtyDriver): void {
    describe(`under ${driver.name}`, () => {
      let pty: PtySession | undefined;
      const start = async (argv: string[], stdoutTo?: string): Promise<PtySession> => {
        // no IAMRA_* variable: SfCli drops the developer's, and none is added
        pty = await driver.start(argv, { env: SfCli.get().env(), cwd: projectRoot, stdoutTo });
        return pty;
      };
      afterEach(() => pty?.close());

      it('control: this terminal echoes what is typed when the program does not hide it', async () => {
        const session = await start(['head', '-n', '1']);
        await session.typeLine('echoed-control-text');
        expect(await session.exitCode()).to.equal(0);
        expect(plainText(session.screen())).to.include('echoed-control-text');
      });

      it('prompts for the key passphrase and the keystore password, hides both, writes a keystore that opens with the typed password', async () => {
        const output = join(temp.dir, `${driver.name}-prompted.jks`);
        const session = await start(SfCli.get().argv(buildArgs(output)));
        await session.waitFor(KEY_PROMPT);
        await session.typeLine(PASSPHRASE);
        await session.waitFor(STORE_PROMPT);
        await session.typeLine(TYPED_STORE_PASSWORD);
        const code = await session.exitCode();
        const screen = session.screen();
        expect(code, plainText(screen)).to.equal(0);
        expect(plainText(screen)).to.include(`Wrote ${output}`);
        expect(plainText(screen)).to.not.match(/Keystore password \(generated/);
        expectNotShown(screen, PASSPHRASE);
        expectNotShown(screen, TYPED_STORE_PASSWORD);
        expect(screen).to.not.match(STACK_TRACE);
        expect(statSync(output).mode & 0o777).to.equal(0o600);
        expect(opens(output, TYPED_STORE_PASSWORD), 'the keystore opens with the typed password').to.equal(true);
      });

      it('a wrong passphrase typed at the prompt: the clear error, non-zero exit, nothing written', async () => {
        const output = join(temp.dir, `${driver.name}-wrong.jks`);
        const wrong = 'typed-wrong-passphrase-4Kd';
        const session = await start(SfCli.get().argv(buildArgs(output)));
        await session.waitFor(KEY_PROMPT);
        await session.typeLine(wrong);
        const code = await session.exitCode();
        const screen = session.screen();
        expect(code, plainText(screen)).to.not.equal(0);
        expect(plainText(screen)).to.match(/The passphrase does not decrypt the private key in .*private_key\.pem \(wrong passphrase\)/);
        expect(screen, 'no second prompt after the refusal').to.not.match(STORE_PROMPT);
        expectNotShown(screen, wrong);
        expect(screen).to.not.match(STACK_TRACE);
        expect(existsSync(output)).to.equal(false);
      });

      it('stdin a terminal but stdout redirected: no prompt nobody can see; stops at once and says how to give the passphrase', async () => {
        const output = join(temp.dir, `${driver.name}-redirected.jks`);
        const stdoutFile = join(temp.dir, `${driver.name}-stdout.txt`);
        const session = await start(SfCli.get().argv(buildArgs(output)), stdoutFile);
        // well under the prompt's own 60-second timeout: the command must not sit waiting for input
        const code = await session.exitCode(20_000);
        const screen = plainText(session.screen());
        expect(code, screen).to.not.equal(0);
        expect(screen).to.match(/private_key\.pem is encrypted, and no passphrase was given/);
        expect(screen).to.include('IAMRA_KEY_PASSPHRASE');
        expect(screen).to.include('--key-passphrase-file');
        expect(readFileSync(stdoutFile, 'utf8')).to.not.match(KEY_PROMPT);
        expect(existsSync(output)).to.equal(false);
      });
    });
  }
});
