/*
 * A passphrase or password file other users can read is accepted, with a warning naming the file,
 * its mode and the chmod that fixes it (as ssh warns about key files). Rows by mode and flag.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import IamraKeystoreBuild from '../../src/commands/iamra/keystore/build.js';
import type { BuildKeystoreResult } from '../../src/shared/keystore/build.js';
import { PASSPHRASE, pki, STOREPASS } from '../helpers/fixtures.js';
import { runInProcess } from '../helpers/runInProcess.js';
import { STACK_TRACE } from '../helpers/sfCli.js';
import { tempDir } from '../helpers/tempProject.js';
import { opens } from './verifiers.js';

describe('sf iamra keystore build: secret files other users can read', () => {
  if (process.platform === 'win32') return;
  const temp = tempDir('iamra-secret-mode-');
  after(() => temp.cleanup());

  const rows: Array<{ name: string; flag: '--key-passphrase-file' | '--keystore-password-file'; mode: number; warns: boolean }> = [
    { name: 'passphrase file 0644 (world-readable): warns', flag: '--key-passphrase-file', mode: 0o644, warns: true },
    { name: 'passphrase file 0604: warns', flag: '--key-passphrase-file', mode: 0o604, warns: true },
    { name: 'passphrase file 0600: quiet', flag: '--key-passphrase-file', mode: 0o600, warns: false },
    { name: 'passphrase file 0640 (group only): quiet', flag: '--key-passphrase-file', mode: 0o640, warns: false },
    { name: 'keystore password file 0644: warns', flag: '--keystore-password-file', mode: 0o644, warns: true },
    { name: 'keystore password file 0400: quiet', flag: '--keystore-password-file', mode: 0o400, warns: false },
  ];
  for (const [i, row] of rows.entries()) {
    it(row.name, async () => {
      const secretFile = join(temp.dir, `secret-${i}.txt`);
      writeFileSync(secretFile, `${row.flag === '--key-passphrase-file' ? PASSPHRASE : STOREPASS}\n`);
      chmodSync(secretFile, row.mode);
      const env: Record<string, string> = row.flag === '--key-passphrase-file' ? { IAMRA_KEYSTORE_PASSWORD: STOREPASS } : { IAMRA_KEY_PASSPHRASE: PASSPHRASE };
      const output = join(temp.dir, `row-${i}.jks`);
      const run = await runInProcess<BuildKeystoreResult>(
        IamraKeystoreBuild,
        ['--certificate', pki('leaf-rsa2048.pem'), '--private-key', pki('leaf-rsa2048.key.aes256.pem'), '--chain', pki('chain.pem'), row.flag, secretFile, '--output', output],
        env
      );
      expect(run.error, run.output).to.equal(undefined);
      expect(opens(output, STOREPASS)).to.equal(true);
      const warning = `${secretFile} can be read by every user of this machine (mode ${row.mode.toString(8)}); restrict it with: chmod 600 ${secretFile}`;
      if (row.warns) expect(run.stderr.replace(/\s*›\s*/g, ' ')).to.include(warning);
      else expect(run.output).to.not.include('can be read by every user');
      expect(run.output).to.not.include(PASSPHRASE).and.not.include(STOREPASS);
      expect(run.output).to.not.match(STACK_TRACE);
    });
  }
});
