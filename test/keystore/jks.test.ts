import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { JksError, passwordBytes, protectKey, readJks, recoverKey, writeJks } from '../../src/shared/keystore/jks.js';
import { pki } from '../helpers/fixtures.js';

const jksJs = createRequire(import.meta.url)('jks-js') as {
  toPem: (data: Buffer, password: string) => Record<string, { cert: string; key: string }>;
};

const key = createPrivateKey(readFileSync(pki('leaf-rsa2048.key.pem')));
const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
const chain = ['leaf-rsa2048.pem', 'intermediate-ca.pem', 'root-ca.pem'].map((f) => new X509Certificate(readFileSync(pki(f))).raw);
const password = 'pässwörd€😀 and ascii';
const salt = Buffer.alloc(20, 7);
const now = new Date('2030-01-02T03:04:05.678Z');
const build = (alias = 'iamra', pw = password): Buffer =>
  writeJks({ alias, password: passwordBytes(pw), pkcs8, chain, now, salt });

describe('keystore JKS writer/reader (bytes)', () => {
  const bytes = build();

  it('writes the JKS header: magic FEEDFEED, version 2, one PrivateKeyEntry with the alias and time', () => {
    expect(bytes.subarray(0, 4).toString('hex')).to.equal('feedfeed');
    expect(bytes.readUInt32BE(4)).to.equal(2);
    expect(bytes.readUInt32BE(8)).to.equal(1);
    expect(bytes.readUInt32BE(12)).to.equal(1);
    expect(bytes.readUInt16BE(16)).to.equal(5);
    expect(bytes.subarray(18, 23).toString('utf8')).to.equal('iamra');
    expect(Number(bytes.readBigUInt64BE(23))).to.equal(now.getTime());
  });

  it('ends with SHA-1(UTF-16BE password || "Mighty Aphrodite" || body)', () => {
    const body = bytes.subarray(0, bytes.length - 20);
    const expected = createHash('sha1')
      .update(Buffer.from(password, 'utf16le').swap16())
      .update('Mighty Aphrodite')
      .update(body)
      .digest();
    expect(bytes.subarray(bytes.length - 20).equals(expected)).to.equal(true);
  });

  it('is deterministic with injected salt and time, and differs with a fresh salt', () => {
    expect(build().equals(bytes)).to.equal(true);
    expect(writeJks({ alias: 'iamra', password: passwordBytes(password), pkcs8, chain, now }).equals(bytes)).to.equal(false);
  });

  it('protects the key with the KeyProtector OID (with NULL, as keytool) and recovers the exact PKCS#8', () => {
    const store = readJks(bytes, passwordBytes(password));
    expect(store.entries).to.have.length(1);
    const entry = store.entries[0];
    if (entry.kind !== 'privateKey') throw new Error('expected a private key entry');
    // SEQUENCE (long form, 2 length bytes) then keytool's AlgorithmIdentifier with the NULL
    expect(entry.protectedKey.subarray(4, 20).toString('hex')).to.equal('300e060a2b060104012a021101010500');
    expect(recoverKey(entry.protectedKey, passwordBytes(password))?.equals(pkcs8)).to.equal(true);
    expect(entry.chain.map((c) => c.toString('hex'))).to.deep.equal(chain.map((c) => c.toString('hex')));
    expect(entry.createdAt.getTime()).to.equal(now.getTime());
  });

  it('does not leave the PKCS#8 in the clear inside the file', () => {
    expect(bytes.includes(pkcs8.subarray(30, 90))).to.equal(false);
  });

  it('refuses the wrong store password and cannot recover the key with it', () => {
    expect(() => readJks(bytes, passwordBytes('wrong-pass'))).to.throw(JksError).with.property('reason', 'password');
    const blob = protectKey(pkcs8, passwordBytes('one'), salt);
    expect(recoverKey(blob, passwordBytes('two'))).to.equal(undefined);
  });

  it('refuses PKCS#12, truncated and garbage input with a reason', () => {
    const p12 = readFileSync(pki('leaf-rsa2048.p12'));
    expect(() => readJks(p12, passwordBytes('x'))).to.throw(JksError).with.property('reason', 'pkcs12');
    expect(() => readJks(bytes.subarray(0, 60), passwordBytes(password))).to.throw(JksError).with.property('reason', 'format');
    expect(() => readJks(Buffer.from('hello world, not a keystore'), passwordBytes(password)))
      .to.throw(JksError)
      .with.property('reason', 'format');
  });

  it('round-trips through jks-js (an independent reader) to the same key and leaf', () => {
    const asciiPassword = 'test-only-storepass';
    const pem = jksJs.toPem(build('iamra', asciiPassword), asciiPassword);
    expect(Object.keys(pem)).to.deep.equal(['iamra']);
    const recovered = createPrivateKey(pem.iamra.key);
    expect(recovered.export({ type: 'pkcs8', format: 'der' }).equals(pkcs8)).to.equal(true);
    expect(new X509Certificate(pem.iamra.cert).raw.equals(chain[0])).to.equal(true);
    expect(createPublicKey(recovered).export({ type: 'spki', format: 'der' }).length).to.be.greaterThan(0);
  });
});
