/*
 * Certificates minted at test time, for what a committed fixture cannot hold still: a leaf that
 * expires a given number of days from now. The committed fixtures ship no CA private key (see
 * scripts/make-fixtures.sh: CA keys stay in its temp dir), so a throwaway root CA is minted alongside
 * and signs the leaf. Everything is written to `dir`, which the caller removes.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

const DAY_MS = 24 * 60 * 60 * 1000;
const TEST_ONLY_ORG = 'plugin-iamra TEST ONLY';

export type MintedLeaf = {
  /** PEM files: the leaf certificate, its unencrypted private key (PKCS#8), the CA that issued it. */
  certificate: string;
  privateKey: string;
  chain: string;
  /** Whole seconds, as X.509 stores it, so it compares equal to what the certificate says. */
  notAfter: Date;
};

type Extension = Record<string, unknown> & { name: string };

function rsa2048(): { privateKey: KeyObject; forgeKey: forge.pki.rsa.PrivateKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, forgeKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) };
}

function certificate(options: {
  commonName: string;
  key: forge.pki.rsa.PrivateKey;
  issuer?: { certificate: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  notBefore: Date;
  notAfter: Date;
  extensions: Extension[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(options.key.n, options.key.e);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`; // leading 01: positive, as X.509 requires
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  cert.setSubject([
    { name: 'organizationName', value: TEST_ONLY_ORG },
    { name: 'commonName', value: options.commonName },
  ]);
  cert.setIssuer(options.issuer ? options.issuer.certificate.subject.attributes : cert.subject.attributes);
  const authorityKeyId = (options.issuer?.certificate ?? cert).generateSubjectKeyIdentifier().getBytes();
  cert.setExtensions([
    ...options.extensions,
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyId },
  ]);
  cert.sign(options.issuer?.key ?? options.key, forge.md.sha256.create());
  return cert;
}

/**
 * A leaf Salesforce and IAM Roles Anywhere would take (RSA 2048, CA:false, keyUsage digitalSignature,
 * clientAuth, SHA-256) whose notAfter is `days` days and `extraMs` from now, issued by a fresh CA.
 */
export function mintLeafExpiringIn(dir: string, days: number, options: { name?: string; extraMs?: number } = {}): MintedLeaf {
  const name = options.name ?? 'leaf-expires-soon';
  const now = Date.now();
  const ca = rsa2048();
  const caCert = certificate({
    commonName: 'minted-test-ca',
    key: ca.forgeKey,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = rsa2048();
  const notAfter = new Date(Math.floor((now + days * DAY_MS + (options.extraMs ?? 0)) / 1000) * 1000);
  const leafCert = certificate({
    commonName: name,
    key: leaf.forgeKey,
    issuer: { certificate: caCert, key: ca.forgeKey },
    notBefore: new Date(now - DAY_MS),
    notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  const files = { certificate: join(dir, `${name}.pem`), privateKey: join(dir, `${name}.key.pem`), chain: join(dir, `${name}.ca.pem`) };
  writeFileSync(files.certificate, forge.pki.certificateToPem(leafCert));
  writeFileSync(files.privateKey, leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(files.chain, forge.pki.certificateToPem(caCert));
  return { ...files, notAfter };
}
