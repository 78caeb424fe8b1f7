/*
 * sf iamra aws verify at a terminal: the key passphrase is asked for with echo hidden when stdin and
 * stdout are both terminals, and never when stdout is redirected (the prompt would land in the file and
 * the command would wait unseen). Runs the real sf under a pseudo-terminal; nothing secret in argv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { plainText, type PtySession, ptyDrivers, skipWithoutPty } from '../helpers/pty.js';
import { projectRoot, SfCli, STACK_TRACE } from '../helpers/sfCli.js';
import { PASSPHRASE, pki } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tempProject.js';

const KEY_PROMPT = /Enter the key passphrase \(input is hidden\):/;
// Port 9 (discard) on loopback: nothing listens, so the call fails fast after the local checks.
const verifyArgs = [
  'iamra', 'aws', 'verify', '--certificate', pki('example', 'certificate.pem'), '--private-key', pki('example', 'private_key.pem'),
  '--intermediates', pki('example', 'certificate_chain.pem'), '--stack-outputs', 'config/example-stack-outputs.json',
  '--endpoint', 'http://127.0.0.1:9',
];

describe('sf iamra aws verify: the passphrase prompt at a terminal', () => {
  const [driver] = ptyDrivers();
  const temp = tempDir();
  let pty: PtySession | undefined;
  const start = async (stdoutTo?: string): Promise<PtySession> => {
    pty = await driver.start(SfCli.get().argv(verifyArgs), { env: SfCli.get().env(), cwd: projectRoot, stdoutTo });
    return pty;
  };
  before(function () {
    if (!driver) skipWithoutPty(this);
  });
  afterEach(() => pty?.close());
  after(() => temp.cleanup());

  it('asks with echo hidden; the typed passphrase opens the key and the call goes out (and fails to connect)', async () => {
    const session = await start();
    await session.waitFor(KEY_PROMPT);
    await session.typeLine(PASSPHRASE);
    const code = await session.exitCode();
    const screen = session.screen();
    expect(code, plainText(screen)).to.not.equal(0);
    // past the key: a wrong passphrase would stop at "does not decrypt", before any request
    expect(plainText(screen)).to.not.match(/does not decrypt/);
    expect(plainText(screen)).to.match(/127\.0\.0\.1:9/);
    expect(screen, 'the typed passphrase is not echoed').to.not.include(PASSPHRASE);
    expect(screen).to.not.match(STACK_TRACE);
  });

  it('stdout redirected: no prompt; stops at once and says how to give the passphrase', async () => {
    const stdoutFile = join(temp.dir, 'verify-stdout.txt');
    const session = await start(stdoutFile);
    const code = await session.exitCode(20_000); // far below the prompt's own 60-second timeout
    const screen = plainText(session.screen());
    expect(code, screen).to.not.equal(0);
    expect(screen).to.match(/is encrypted, and no passphrase was given/);
    expect(screen).to.include('IAMRA_KEY_PASSPHRASE');
    expect(readFileSync(stdoutFile, 'utf8')).to.not.match(KEY_PROMPT);
  });
});
