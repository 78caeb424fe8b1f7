import { expect } from 'chai';
import { readCredentialMaterial, type CredentialSource, type IntakeNotice } from '../../src/shared/keystore/intake.js';
import { PASSPHRASE, pki } from '../helpers/fixtures.js';

/** An asker that records which secrets were asked for. */
function asker(secret: string | undefined): { ask: (label: string) => Promise<string | undefined>; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    ask: (label: string) => {
      asked.push(label);
      return Promise.resolve(secret);
    },
  };
}

const pem = (certificateFile: string, privateKeyFile: string, chainFiles?: string[]): CredentialSource => ({
  kind: 'pem',
  certificateFile: pki(certificateFile),
  privateKeyFile: pki(privateKeyFile),
  chainFiles: chainFiles?.map((f) => pki(f)),
});
const cn = (subject: string): string => /CN=([^\n]+)/.exec(subject)?.[1] ?? subject;

describe('keystore intake: readCredentialMaterial', () => {
  for (const form of ['aes256', 'scrypt', '3des', 'legacy']) {
    it(`decrypts the ${form} encrypted key, asking for the key passphrase once`, async () => {
      const { ask, asked } = asker(PASSPHRASE);
      const material = await readCredentialMaterial(pem('leaf-rsa2048.pem', `leaf-rsa2048.key.${form}.pem`, ['chain.pem']), ask);
      expect(asked).to.deep.equal(['key passphrase']);
      expect(material.key.asymmetricKeyType).to.equal('rsa');
      expect(material.chain.map((c) => cn(c.subject))).to.deep.equal(['leaf-rsa2048', 'intermediate-ca', 'root-ca']);
    });
  }

  for (const form of ['pkcs1', '']) {
    it(`reads the unencrypted ${form || 'pkcs8'} key without asking for anything`, async () => {
      const { ask, asked } = asker(PASSPHRASE);
      await readCredentialMaterial(pem('leaf-rsa2048.pem', `leaf-rsa2048.key.${form ? form + '.' : ''}pem`), ask);
      expect(asked).to.deep.equal([]);
    });
  }

  it('orders any input order leaf -> root and drops duplicates', async () => {
    const { ask } = asker(PASSPHRASE);
    const material = await readCredentialMaterial(
      pem('root-ca.pem', 'leaf-rsa2048.key.pem', ['leaf-rsa2048.fullchain.pem', 'intermediate-ca.pem', 'chain.pem']),
      ask
    );
    expect(material.chain.map((c) => cn(c.subject))).to.deep.equal(['leaf-rsa2048', 'intermediate-ca', 'root-ca']);
  });

  it('is neutral: reads an EC key (valid for Roles Anywhere) from PEM and from PKCS#12', async () => {
    const fromPem = await readCredentialMaterial(pem('leaf-ec-p256.pem', 'leaf-ec-p256.key.aes256.pem', ['chain.pem']), asker(PASSPHRASE).ask);
    expect(fromPem.key.asymmetricKeyType).to.equal('ec');
    const fromP12 = await readCredentialMaterial({ kind: 'pkcs12', file: pki('leaf-ec-p256.p12') }, asker(PASSPHRASE).ask);
    expect(fromP12.key.asymmetricKeyType).to.equal('ec');
    expect(fromP12.chain).to.have.length(3);
  });

  it('reads a PKCS#12 (OpenSSL 3 defaults: AES-256, SHA-256 MAC), asking for its password as the key passphrase', async () => {
    const { ask, asked } = asker(PASSPHRASE);
    const material = await readCredentialMaterial({ kind: 'pkcs12', file: pki('leaf-rsa2048.p12') }, ask);
    expect(asked).to.deep.equal(['key passphrase']);
    expect(material.chain.map((c) => cn(c.subject))).to.deep.equal(['leaf-rsa2048', 'intermediate-ca', 'root-ca']);
  });

  it('reads a keytool-made JKS with the keystore password', async () => {
    const { ask, asked } = asker('test-only-storepass');
    const material = await readCredentialMaterial({ kind: 'jks', file: pki('jks', 'keytool-good.jks') }, ask);
    expect(asked).to.deep.equal(['keystore password']);
    expect(material.chain).to.have.length(3);
  });

  it('opens an ACM key whose passphrase ended in a newline, and says so', async () => {
    const notices: IntakeNotice[] = [];
    const material = await readCredentialMaterial(
      pem('leaf-rsa2048.pem', 'leaf-rsa2048.key.newline-passphrase.pem'),
      asker(PASSPHRASE).ask,
      { onNotice: (n) => notices.push(n) }
    );
    expect(material.key.asymmetricKeyType).to.equal('rsa');
    expect(notices.map((n) => n.code)).to.deep.equal(['PassphraseTrailingNewline']);
    expect(notices[0].message).to.match(/newline/);
  });

  const refusals: Array<{ name: string; source: CredentialSource; secret?: string; error: RegExp }> = [
    { name: 'missing passphrase', source: pem('leaf-rsa2048.pem', 'leaf-rsa2048.key.aes256.pem'), secret: undefined, error: /encrypted, and no passphrase/ },
    { name: 'wrong passphrase', source: pem('leaf-rsa2048.pem', 'leaf-rsa2048.key.aes256.pem'), secret: 'nope-nope', error: /wrong passphrase/ },
    { name: 'key of another certificate', source: pem('leaf-rsa3072.pem', 'leaf-rsa2048.key.pem'), error: /does not belong to any certificate/ },
    { name: 'foreign certificate', source: pem('leaf-rsa2048.pem', 'leaf-rsa2048.key.pem', ['chain.pem', 'other-root-ca.pem']), error: /does not belong to the chain.*other-root-ca/ },
    { name: 'certificate file holding a key', source: pem('leaf-rsa2048.key.pem', 'leaf-rsa2048.key.pem'), error: /No certificate was found/ },
    { name: 'key file holding a certificate', source: pem('leaf-rsa2048.pem', 'leaf-rsa2048.pem'), error: /No private key was found/ },
    { name: 'binary key file', source: pem('leaf-rsa2048.pem', 'leaf-rsa2048.p12'), error: /binary, not PEM/ },
    { name: 'PEM given as PKCS#12', source: { kind: 'pkcs12', file: pki('leaf-rsa2048.pem') }, error: /not a PKCS#12/ },
    { name: 'wrong PKCS#12 password', source: { kind: 'pkcs12', file: pki('leaf-rsa2048.p12') }, secret: 'nope-nope', error: /wrong passphrase/ },
    { name: 'PKCS#12 given as JKS', source: { kind: 'jks', file: pki('jks', 'not-a-jks.p12') }, error: /PKCS#12 file, not a Java KeyStore/ },
    { name: 'JKS key password differs', source: { kind: 'jks', file: pki('jks', 'keytool-key-password-differs.jks') }, secret: 'test-only-storepass', error: /password other than the keystore password/ },
  ];
  for (const row of refusals) {
    it(`refuses: ${row.name}`, async () => {
      const error = await readCredentialMaterial(row.source, asker('secret' in row ? row.secret : PASSPHRASE).ask).then(
        () => undefined,
        (e: Error) => e
      );
      expect(error?.message).to.match(row.error);
    });
  }
});
