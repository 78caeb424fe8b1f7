/*
 * Our JKS output checked by the real JDK: `keytool -list -v` (no -storetype, so keytool reports the
 * real type), keytool conversion to PKCS#12 (proves key password = store password), and
 * java/VerifyJks.java (KeyStore.getInstance("JKS"), key recovery, sign/verify, chain links).
 */
import { join } from 'node:path';
import { expect } from 'chai';
import { buildKeystore } from '../../src/shared/keystore/build.js';
import type { CredentialSource } from '../../src/shared/keystore/intake.js';
import { PASSPHRASE, pki, STOREPASS } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tempProject.js';
import { writeFaultyStore } from './faultyStores.js';
import { keytool, skipWithoutJava, verifyWithJava } from './verifiers.js';

type Built = { name: string; file: string; password: string; chain: string[] };

describe('keystore build output verified by keytool and Java', () => {
  const temp = tempDir();
  const built: Built[] = [];
  let faulty: Array<{ file: string; expected: RegExp }> = [];
  /** One JVM start for every store (the source launcher compiles for seconds). */
  let javaResults = new Map<string, string>();
  const cases: Array<{ name: string; source: CredentialSource; password: string; chain: string[] }> = [
    {
      name: 'example (ACM-like encrypted PKCS#8 + chain file)',
      source: { kind: 'pem', certificateFile: pki('example', 'certificate.pem'), privateKeyFile: pki('example', 'private_key.pem'), chainFiles: [pki('example', 'certificate_chain.pem')] },
      password: 'Str0ng pass!word~',
      chain: ['iamra-example', 'intermediate-ca', 'root-ca'],
    },
    {
      name: 'PKCS#12 input',
      source: { kind: 'pkcs12', file: pki('leaf-rsa2048.p12') },
      password: STOREPASS,
      chain: ['leaf-rsa2048', 'intermediate-ca', 'root-ca'],
    },
    {
      name: 'RSA 3072, chain given root first in the certificate file',
      source: { kind: 'pem', certificateFile: pki('chain.pem'), privateKeyFile: pki('leaf-rsa3072.key.pem'), chainFiles: [pki('leaf-rsa3072.pem')] },
      password: STOREPASS,
      chain: ['leaf-rsa3072', 'intermediate-ca', 'root-ca'],
    },
    {
      name: 'RSA 4096 leaf alone',
      source: { kind: 'pem', certificateFile: pki('leaf-rsa4096.pem'), privateKeyFile: pki('leaf-rsa4096.key.pem') },
      password: STOREPASS,
      chain: ['leaf-rsa4096'],
    },
  ];

  before(async function () {
    skipWithoutJava(this);
    for (const [index, c] of cases.entries()) {
      const file = join(temp.dir, `store${index}.jks`);
      // eslint-disable-next-line no-await-in-loop
      await buildKeystore({
        source: c.source,
        alias: 'iamra',
        output: file,
        force: false,
        askSecret: () => Promise.resolve(PASSPHRASE),
        keystorePassword: () => Promise.resolve({ value: c.password, origin: 'env' }),
      });
      built.push({ name: c.name, file, password: c.password, chain: c.chain });
    }
    faulty = [
      { file: writeFaultyStore(temp.dir, 'upper-alias'), expected: /aliases \[IAMRA\] isKeyEntry=false/ },
      { file: writeFaultyStore(temp.dir, 'pkcs1-blob'), expected: /corrupt private key/ },
      { file: writeFaultyStore(temp.dir, 'reversed-chain'), expected: /chain\[0\] does not match the key/ },
      { file: pki('jks', 'keytool-key-password-differs.jks'), expected: /Cannot recover key/ },
      { file: pki('jks', 'not-a-jks.p12'), expected: /not JKS magic/ },
    ];
    javaResults = verifyWithJava([
      ...built.map((s) => ({ file: s.file, password: s.password, alias: 'iamra', chainLength: s.chain.length })),
      ...faulty.map((f) => ({ file: f.file, password: STOREPASS, alias: 'iamra', chainLength: 3 })),
    ]);
  });
  after(() => temp.cleanup());

  it('keytool -list -v lists one JKS PrivateKeyEntry "iamra" with the chain leaf -> root', () => {
    for (const store of built) {
      const run = keytool(['-list', '-v', '-keystore', store.file, '-storepass', store.password]);
      expect(run.code, `${store.name}: ${run.out}`).to.equal(0);
      expect(run.out).to.include('Keystore type: JKS');
      expect(run.out).to.include('Your keystore contains 1 entry');
      expect(run.out).to.include('Alias name: iamra');
      expect(run.out).to.include('Entry type: PrivateKeyEntry');
      expect(run.out).to.include(`Certificate chain length: ${store.chain.length}`);
      const owners = [...run.out.matchAll(/^Owner: .*CN=([^,\n]+)/gm)].map((m) => m[1]);
      expect(owners, store.name).to.deep.equal(store.chain);
    }
  });

  it('keytool refuses the wrong store password', () => {
    const run = keytool(['-list', '-keystore', built[0].file, '-storepass', 'wrong-password']);
    expect(run.code).to.equal(1);
    expect(run.out).to.include('Keystore was tampered with, or password was incorrect');
  });

  it('keytool converts it to PKCS#12 with only the store password (key password = store password)', () => {
    const p12 = join(temp.dir, 'converted.p12');
    const run = keytool([
      '-importkeystore', '-noprompt', '-srckeystore', built[0].file, '-srcstoretype', 'JKS', '-srcstorepass', built[0].password,
      '-destkeystore', p12, '-deststoretype', 'PKCS12', '-deststorepass', built[0].password,
    ]);
    expect(run.code, run.out).to.equal(0);
    expect(run.out).to.include('1 entries successfully imported');
  });

  it('Java loads each store as JKS, recovers the key, signs with it and verifies with chain[0] and every link', () => {
    for (const store of built) expect(javaResults.get(store.file), store.name).to.equal('OK');
  });

  it('the verifier catches the classic mistakes (so the positive checks above can fail)', () => {
    expect(faulty).to.have.length(5);
    for (const f of faulty) expect(javaResults.get(f.file), f.file).to.match(f.expected);
  });
});
