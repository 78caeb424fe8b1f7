/*
 * A throwaway root -> intermediate CA that plays AWS Private CA in CSR-mode tests: it signs a CSR as
 * `aws acm-pca issue-certificate` with the EndEntityCertificate/V1 template does (CA:FALSE, keyUsage
 * digitalSignature, SHA-256), or, on request, with one of the mistakes the plugin must refuse.
 * test/fixtures/pki commits certificates and leaf keys but not its CA keys (scripts/make-fixtures.sh
 * keeps them in a temp dir), so the CA here is made per test run. TEST-ONLY: nothing here is secret.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

type Issuer = { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };

export type SignOptions = {
  /**
   * basicConstraints CA:TRUE (and keyCertSign, as test/fixtures/pki/leaf-ca.pem) on the issued certificate
   * (a mistake). Without keyCertSign, OpenSSL and so node:crypto's `X509Certificate.ca` do not call it a CA.
   */
  ca?: boolean;
  /** keyUsage without digitalSignature (a mistake). */
  noDigitalSignature?: boolean;
  /** Signature hash; 'sha1' is a mistake. */
  hash?: 'sha256' | 'sha1';
  notBefore?: Date;
  notAfter?: Date;
  /** Issue for this SPKI PEM public key instead of the CSR's (a certificate for a different key). */
  publicKeyPem?: string;
};

export type TestCa = {
  rootPem: string;
  intermediatePem: string;
  /** intermediate + root, as `aws acm-pca get-certificate --query CertificateChain` returns it. */
  chainPem: string;
  /** Signs `csrPem` with the intermediate; returns the leaf PEM. */
  sign(csrPem: string, options?: SignOptions): string;
};

const DAY_MS = 86_400_000;

function rsaKeyPair(bits = 2048): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  // node:crypto makes the key (forge's pure-JS generator is slow), forge builds the certificates.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
  };
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

function caCertificate(commonName: string, publicKey: forge.pki.PublicKey, issuer: Issuer | undefined, signer: forge.pki.rsa.PrivateKey): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY_MS);
  const subject = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'plugin-iamra tests' }];
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(signer, forge.md.sha256.create());
  return cert;
}

export function createTestCa(): TestCa {
  const rootKeys = rsaKeyPair();
  const rootCert = caCertificate('iamra test root CA', rootKeys.publicKey, undefined, rootKeys.privateKey);
  const root: Issuer = { cert: rootCert, key: rootKeys.privateKey };
  const intermediateKeys = rsaKeyPair();
  const intermediateCert = caCertificate('iamra test issuing CA', intermediateKeys.publicKey, root, rootKeys.privateKey);
  const intermediate: Issuer = { cert: intermediateCert, key: intermediateKeys.privateKey };
  const rootPem = forge.pki.certificateToPem(rootCert).replace(/\r\n/g, '\n');
  const intermediatePem = forge.pki.certificateToPem(intermediateCert).replace(/\r\n/g, '\n');
  return {
    rootPem,
    intermediatePem,
    chainPem: intermediatePem + rootPem,
    sign: (csrPem, options = {}) => issue(intermediate, csrPem, options),
  };
}

function issue(issuer: Issuer, csrPem: string, options: SignOptions): string {
  const csr = forge.pki.certificationRequestFromPem(csrPem);
  if (!csr.verify()) throw new Error('the CSR signature does not verify');
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKeyPem ? forge.pki.publicKeyFromPem(options.publicKeyPem) : csr.publicKey!;
  cert.serialNumber = serial();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY_MS);
  cert.setSubject(csr.subject.attributes);
  cert.setIssuer(issuer.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: options.ca ?? false, critical: true },
    options.noDigitalSignature
      ? { name: 'keyUsage', keyEncipherment: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyCertSign: options.ca ?? false, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(issuer.key, options.hash === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create());
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}
