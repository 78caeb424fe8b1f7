/*
 * sf iamra keystore inspect: every rule a hand-made keystore can break, one row per mistake, with the
 * same --json shape as build plus findings and a non-zero exit on error-level findings.
 */
import { join } from 'node:path';
import { expect } from 'chai';
import IamraKeystoreInspect from '../../src/commands/iamra/keystore/inspect.js';
import { buildKeystore } from '../../src/shared/keystore/build.js';
import type { InspectKeystoreResult } from '../../src/shared/keystore/inspect.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import { SfCli, STACK_TRACE } from '../helpers/sfCli.js';
import { PASSPHRASE, pki, STOREPASS } from '../helpers/fixtures.js';
import { runInProcess } from '../helpers/runInProcess.js';
import { tempDir } from '../helpers/tempProject.js';
import { type FaultyStore, writeFaultyStore } from './faultyStores.js';

describe('sf iamra keystore inspect', () => {
  const temp = tempDir();
  const ours = join(temp.dir, 'ours.jks');
  const faulty = (fault: FaultyStore): string => writeFaultyStore(temp.dir, fault);
  before(async () => {
    await buildKeystore({
      source: { kind: 'pem', certificateFile: pki('leaf-rsa2048.pem'), privateKeyFile: pki('leaf-rsa2048.key.pem'), chainFiles: [pki('chain.pem')] },
      alias: 'iamra',
      output: ours,
      force: false,
      askSecret: () => Promise.resolve(PASSPHRASE),
      keystorePassword: () => Promise.resolve({ value: STOREPASS, origin: 'env' }),
    });
  });
  after(() => temp.cleanup());

  const rows: Array<{ name: string; file: () => string; codes: string[] }> = [
    { name: 'our own build', file: () => ours, codes: [] },
    { name: 'keytool-made store (manual pipeline)', file: () => pki('jks', 'keytool-good.jks'), codes: [] },
    { name: 'upper-case alias on disk', file: () => faulty('upper-alias'), codes: ['error:AliasNotLowerCase'] },
    { name: 'PKCS#1 key blob', file: () => faulty('pkcs1-blob'), codes: ['error:KeyNotPkcs8'] },
    { name: 'chain stored root first', file: () => faulty('reversed-chain'), codes: ['error:ChainOrder'] },
    { name: 'key password differs (keytool -keypasswd)', file: () => pki('jks', 'keytool-key-password-differs.jks'), codes: ['error:KeyPasswordDiffers'] },
    { name: 'EC key (keytool)', file: () => pki('jks', 'keytool-ec.jks'), codes: ['error:KeyNotRsa'] },
    { name: 'expired certificate (keytool)', file: () => pki('jks', 'keytool-expired.jks'), codes: ['error:Expired'] },
  ];

  for (const row of rows) {
    it(`${row.name}: ${row.codes.join(', ') || 'no findings'}`, async () => {
      const run = await runInProcess<InspectKeystoreResult>(IamraKeystoreInspect, ['--keystore', row.file()], { IAMRA_KEYSTORE_PASSWORD: STOREPASS });
      expect(run.error, run.output).to.equal(undefined);
      const result = run.result as InspectKeystoreResult;
      expect(result.findings.map((f) => `${f.severity}:${f.code}`)).to.deep.equal(row.codes);
      expect(result.chainLength).to.equal(3);
      expect(/CN=([^,]+)/.exec(result.chainSubjects[0])?.[1]).to.match(/^leaf-/);
      expect(run.output).to.not.match(STACK_TRACE);
      expect(run.output).to.not.include(STOREPASS);
      for (const finding of result.findings) expect(run.output).to.include(finding.code);
    });
  }

  it('refuses a wrong keystore password, a PKCS#12 file and a missing password, naming the problem', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--keystore', ours], { IAMRA_KEYSTORE_PASSWORD: 'wrong-password' }, /password does not open/],
      [['--keystore', pki('jks', 'not-a-jks.p12')], { IAMRA_KEYSTORE_PASSWORD: STOREPASS }, /PKCS#12 file, not a Java KeyStore/],
      [['--keystore', ours], {}, /No keystore password was given/],
      [['--keystore', temp.dir], { IAMRA_KEYSTORE_PASSWORD: STOREPASS }, /is a directory/],
    ];
    for (const [argv, env, message] of cases) {
      // eslint-disable-next-line no-await-in-loop
      const run = await runInProcess(IamraKeystoreInspect, argv, env);
      expect(run.error?.message).to.match(message);
      expect(run.output).to.not.match(STACK_TRACE);
    }
  });

  it('through the real sf binary: exit 0 and the build shape for a good store, exit 1 with findings for a bad one', () => {
    const sf = SfCli.get();
    const env = { IAMRA_KEYSTORE_PASSWORD: STOREPASS };
    const good = sf.runSync(['iamra', 'keystore', 'inspect', '--keystore', pki('jks', 'keytool-good.jks'), '--json'], { env });
    expect(good.code, good.stderr).to.equal(0);
    expectMatchesSchema('iamra keystore inspect', good.json?.result);
    expect(good.json?.result).to.include({ alias: 'iamra', keyType: 'rsa', keySize: 2048, chainLength: 3 });
    const bad = sf.runSync(['iamra', 'keystore', 'inspect', '--keystore', faulty('upper-alias')], { env });
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.include('AliasNotLowerCase');
    expect(bad.stdout).to.match(/1 problem\(s\) found/);
    expect(bad.stdout + bad.stderr).to.not.match(STACK_TRACE);
    expect(bad.stdout + bad.stderr).to.not.include(STOREPASS);
  });
});
