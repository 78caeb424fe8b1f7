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
  /** basicConstraints CA:TRUE on the issued certificate (a mistake); keyCertSign too unless `keyCertSign: false`. */
  ca?: boolean;
  /** keyUsage without digitalSignature (a mistake). */
  noDigitalSignature?: boolean;
  /** Signature hash; 'sha1' is a mistake. */
  hash?: 'sha256' | 'sha1';
  notBefore?: Date;
  notAfter?: Date;
  /** Issue for this SPKI PEM public key instead of the CSR's (a certificate for a different key). */
  publicKeyPem?: string;
  /** keyCertSign in keyUsage; defaults to `ca`. CA:TRUE without it is a CA OpenSSL's X509_check_ca misses. */
  keyCertSign?: boolean;
};

/** A leaf issued together with its (unencrypted, PKCS#8) private key, for tests that need the key too. */
export type IssuedLeaf = { certificatePem: string; privateKeyPem: string };

export type TestCa = {
  rootPem: string;
  intermediatePem: string;
  /** intermediate + root, as `aws acm-pca get-certificate --query CertificateChain` returns it. */
  chainPem: string;
  /** Signs `csrPem` with the intermediate; returns the leaf PEM. */
  sign(csrPem: string, options?: SignOptions): string;
  /** Makes an RSA 2048 key and issues a leaf for it with subject CN=`commonName`. */
  issueLeaf(commonName: string, options?: SignOptions): IssuedLeaf;
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
    sign: (csrPem, options = {}) => {
      const csr = forge.pki.certificationRequestFromPem(csrPem);
      if (!csr.verify()) throw new Error('the CSR signature does not verify');
      return issue(intermediate, csr.publicKey!, csr.subject.attributes, options);
    },
    issueLeaf: (commonName, options = {}) => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const forgeKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
      const subject = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'plugin-iamra tests' }];
      return {
        certificatePem: issue(intermediate, forgeKey, subject, options),
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      };
    },
  };
}

function issue(issuer: Issuer, publicKey: forge.pki.PublicKey, subject: forge.pki.CertificateField[], options: SignOptions): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKeyPem ? forge.pki.publicKeyFromPem(options.publicKeyPem) : publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY_MS);
  cert.setSubject(subject);
  cert.setIssuer(issuer.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: options.ca ?? false, critical: true },
    options.noDigitalSignature
      ? { name: 'keyUsage', keyEncipherment: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyCertSign: options.keyCertSign ?? options.ca ?? false, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(issuer.key, options.hash === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create());
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}
