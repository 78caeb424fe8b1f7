/*
 * "Import from Keystore" in the simulated org, one row per Salesforce import rule: stores made by keytool
 * (test/fixtures/pki/jks) and, for mistakes keytool will not make, by the plugin's own JKS writer.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { passwordBytes, writeJks } from '../../../src/shared/keystore/jks.js';
import { pki } from '../../helpers/fixtures.js';
import { TEST_KEYSTORE } from '../harness/testAws.js';
import { keystoreImportMessages as messages } from '../rules/inferred.js';
import { KeystoreImportError } from './keystore.js';
import { OrgState } from './state.js';

const PASSWORD = TEST_KEYSTORE.password;
const pem = (name: string): Buffer => readFileSync(pki(name));
const der = (name: string): Buffer => new X509Certificate(pem(name)).raw;
const CHAIN = [der('leaf-rsa2048.pem'), der('intermediate-ca.pem'), der('root-ca.pem')];
const pkcs8 = (keyFile: string): Buffer => createPrivateKey(pem(keyFile)).export({ type: 'pkcs8', format: 'der' });

function written(options: { alias?: string; key?: string; chain?: Buffer[]; pkcs1?: boolean } = {}): Buffer {
  const key = createPrivateKey(pem(options.key ?? 'leaf-rsa2048.key.pem'));
  return writeJks({
    alias: options.alias ?? 'iamra',
    password: passwordBytes(PASSWORD),
    pkcs8: key.export({ type: options.pkcs1 ? 'pkcs1' : 'pkcs8', format: 'der' }),
    chain: options.chain ?? CHAIN,
    now: new Date('2026-01-01T00:00:00Z'),
  });
}

/** Two stores' entries in one JKS (count 2, integrity digest recomputed): what keytool -importkeystore of two stores makes. */
function twoKeyEntries(): Buffer {
  const a = written({ alias: 'iamra' });
  const b = written({ alias: 'second', key: 'leaf-rsa3072.key.pem', chain: [der('leaf-rsa3072.pem')] });
  const count = Buffer.alloc(4);
  count.writeUInt32BE(2);
  const body = Buffer.concat([a.subarray(0, 8), count, a.subarray(12, a.length - 20), b.subarray(12, b.length - 20)]);
  const digest = createHash('sha1').update(passwordBytes(PASSWORD)).update('Mighty Aphrodite').update(body).digest();
  return Buffer.concat([body, digest]);
}

type Row = { name: string; bytes: () => Buffer; password?: string; identityProviderOff?: boolean; refusal?: string };

const rows: Row[] = [
  { name: 'a keytool-made store with one RSA 2048 key entry', bytes: TEST_KEYSTORE.bytes },
  { name: 'an RSA 3072 key', bytes: () => written({ key: 'leaf-rsa3072.key.pem', chain: [der('leaf-rsa3072.pem')] }) },
  { name: 'an RSA 4096 key', bytes: () => written({ key: 'leaf-rsa4096.key.pem', chain: [der('leaf-rsa4096.pem')] }) },
  { name: 'the Identity Provider not enabled yet', bytes: TEST_KEYSTORE.bytes, identityProviderOff: true, refusal: messages.identityProviderOff() },
  { name: 'a PKCS#12 file', bytes: () => readFileSync(pki('jks/not-a-jks.p12')), refusal: messages.notJks() },
  { name: 'a wrong store password', bytes: TEST_KEYSTORE.bytes, password: 'not-the-password', refusal: messages.wrongPassword() },
  { name: 'two private-key entries', bytes: twoKeyEntries, refusal: messages.severalPrivateKeyEntries() },
  { name: 'key password differs from the store password', bytes: () => readFileSync(pki('jks/keytool-key-password-differs.jks')), refusal: messages.keyPasswordDiffers() },
  { name: 'an EC key', bytes: () => readFileSync(pki('jks/keytool-ec.jks')), refusal: messages.notRsa() },
  { name: 'an RSA 1024 key', bytes: () => written({ key: 'leaf-rsa1024.key.pem', chain: [der('leaf-rsa1024.pem')] }), refusal: messages.badKeySize() },
  { name: 'a PKCS#1 key blob', bytes: () => readFileSync(pki('jks/writer-pkcs1-blob.jks')), refusal: messages.notPkcs8() },
  { name: 'an upper-case alias on disk', bytes: () => readFileSync(pki('jks/writer-upper-alias.jks')), refusal: messages.noPrivateKeyEntry() },
  { name: 'a reversed chain (root first)', bytes: () => readFileSync(pki('jks/writer-reversed-chain.jks')), refusal: messages.keyDoesNotMatchChain() },
  { name: 'a key that is not the certificate\'s', bytes: () => written({ key: 'leaf-rsa3072.key.pem' }), refusal: messages.keyDoesNotMatchChain() },
  { name: 'an alias that is no Unique Name', bytes: () => written({ alias: 'iamra__key' }), refusal: messages.badAlias('iamra__key') },
];

describe('org simulator keystore import (Salesforce import rules)', () => {
  for (const row of rows) {
    it(`${row.refusal ? 'refuses' : 'imports'}: ${row.name}`, () => {
      const state = new OrgState();
      state.identityProvider.enabled = !row.identityProviderOff;
      const run = (): unknown => state.importKeystore(row.bytes(), row.password ?? PASSWORD);
      if (row.refusal) {
        expect(run).to.throw(KeystoreImportError, row.refusal);
        expect(state.certificates, 'nothing imported').to.have.length(0);
        return;
      }
      run();
      const [cert] = state.certificates;
      expect(cert).to.deep.include({ origin: 'keystore', caSigned: true });
      const key = state.signingKey(cert.developerName);
      expect(key, 'the org holds the key').to.not.equal(undefined);
      expect(key!.chain[0].checkPrivateKey(key!.privateKey)).to.equal(true);
      expect(cert.content).to.include('-----BEGIN CERTIFICATE-----');
      expect(cert.content).not.to.include('PRIVATE KEY');
    });
  }

  it('the lower-case alias becomes the Unique Name; key size and expiry come from the store', () => {
    const state = new OrgState();
    state.identityProvider.enabled = true;
    const cert = state.importKeystore(TEST_KEYSTORE.bytes(), PASSWORD);
    const leaf = new X509Certificate(pem('leaf-rsa2048.pem'));
    expect(cert).to.deep.include({ developerName: 'iamra', keySize: 2048, expirationDate: new Date(leaf.validTo).toISOString() });
    expect(new X509Certificate(cert.content).raw.equals(leaf.raw)).to.equal(true);
    expect(pkcs8('leaf-rsa2048.key.pem').equals(state.signingKey('iamra')!.privateKey.export({ type: 'pkcs8', format: 'der' }))).to.equal(true);
  });

  it('importCertificate(alias) without bytes stays a seed shortcut that holds no key', () => {
    const state = new OrgState();
    state.importCertificate('iamra');
    expect(state.certificate('iamra')).to.not.equal(undefined);
    expect(state.signingKey('iamra')).to.equal(undefined);
  });
});
