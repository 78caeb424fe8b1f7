/*
 * CSR mode in the simulated org: a deployed CA-signed Certificate gets a real RSA key pair that never
 * leaves the simulator and a real PKCS#10 CSR for it (what a retrieve returns until the signed chain is
 * deployed). The key pair is kept by OrgState, reachable only through its certificate key lookups.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { csrSubject } from './inferred.js';

export type OrgKeyPair = { publicKey: KeyObject; privateKey: KeyObject };

export type GeneratedCsr = { keyPair: OrgKeyPair; csrPem: string };

/** A fresh key pair of `keySize` bits and a SHA-256-signed CSR for it, subject per `csrSubject`. */
export function generateCsr(keySize: number, masterLabel: string): GeneratedCsr {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: keySize });
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // UTF8String: a label such as iamra_csr is not a valid PrintableString ('_'), which strict parsers
  // (Python cryptography, as in moto's AWS Private CA) refuse; forge's default would be PrintableString.
  // (@types/node-forge types valueTagClass as an asn1.Class, though forge reads it as the value's tag type.)
  csr.setSubject(csrSubject(masterLabel).map((a) => ({ ...a, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class })));
  csr.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return { keyPair: { publicKey, privateKey }, csrPem: forge.pki.certificationRequestToPem(csr).replace(/\r\n/g, '\n') };
}

/**
 * True when a `.crt` holds a certificate chain: at least one PEM certificate block that is not the
 * simulator's own fake content (a placeholder, a CSR or the fake imported PEM round-tripped are not).
 */
export function holdsCertificate(crt: string): boolean {
  return crt.includes('-----BEGIN CERTIFICATE-----') && !crt.includes('U0lNVUxBVEVE');
}

/** The first certificate of a PEM chain, undefined when it does not parse. */
export function firstCertificate(crt: string): X509Certificate | undefined {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(crt)?.[0];
  if (!block) return undefined;
  try {
    return new X509Certificate(block);
  } catch {
    return undefined;
  }
}

export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const der = (key: KeyObject): Buffer => (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
  return der(a).equals(der(b));
}

/** A self-signed (not CA-signed) certificate the org makes: a fresh key and a certificate for it, CN=<masterLabel>. */
export function generateSelfSigned(keySize: number, masterLabel: string, now = new Date()): { keyPair: OrgKeyPair; certificatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: keySize });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${Date.now().toString(16)}`;
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + 365 * 24 * 3600 * 1000);
  cert.setSubject(csrSubject(masterLabel));
  cert.setIssuer(csrSubject(masterLabel));
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return { keyPair: { publicKey, privateKey }, certificatePem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n') };
}
