/*
 * The pieces of CSR mode that need no org: reading the PKCS#10 request Salesforce returns, comparing
 * public keys, and the signed chain as Salesforce takes it. Pure. node:crypto cannot read a CSR, so
 * node-forge parses it (RSA only, which is all Salesforce generates).
 */
import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { pemBlocks } from '../keystore/pem.js';
import { CHAIN_LEAF_FIRST, CSR_PEM_LABEL } from './constants.js';

export type CertificateSigningRequest = {
  /** The request exactly as one PEM block. */
  pem: string;
  /** "CN=..., O=..." in the request's order. */
  subject: string;
  keySize: number;
  publicKey: KeyObject;
  /** The request is signed by the key it carries (always, unless it was damaged). */
  signatureValid: boolean;
};

/** The CSR in a retrieved `.crt`, or undefined when the content holds none (a placeholder or a certificate). */
export function readCsr(content: string): CertificateSigningRequest | undefined {
  const block = pemBlocks(content).find((b) => b.label === CSR_PEM_LABEL || b.label === 'NEW CERTIFICATE REQUEST');
  if (!block) return undefined;
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(block.text);
  } catch {
    return undefined;
  }
  const publicKey = csr.publicKey as forge.pki.rsa.PublicKey | null;
  if (!publicKey) return undefined;
  return {
    pem: `${block.text.replace(/\r\n/g, '\n')}\n`,
    subject: csr.subject.attributes.map((a) => `${a.shortName ?? a.name ?? a.type ?? '?'}=${String(a.value)}`).join(', '),
    keySize: publicKey.n.bitLength(),
    publicKey: createPublicKey(forge.pki.publicKeyToPem(publicKey)),
    signatureValid: safeVerify(csr),
  };
}

function safeVerify(csr: forge.pki.CertificateSigningRequest): boolean {
  try {
    return csr.verify();
  } catch {
    return false;
  }
}

/** True when the content holds a certificate (a signed chain or an imported certificate), not a CSR. */
export function holdsCertificate(content: string): boolean {
  return pemBlocks(content).some((b) => b.label === 'CERTIFICATE');
}

export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const spki = (key: KeyObject): Buffer => (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
  return spki(a).equals(spki(b));
}

/** A certificate's subject on one line, "CN=..., O=...". */
export function subjectLine(cert: X509Certificate): string {
  return cert.subject.split('\n').join(', ');
}

/** The `.crt` content for an ordered (leaf -> root) chain, in the order Salesforce takes it ([inferred], constants.ts). */
export function chainContent(ordered: X509Certificate[]): string {
  const certs = CHAIN_LEAF_FIRST ? ordered : [...ordered].reverse();
  return certs.map((cert) => cert.toString().trim()).join('\n') + '\n';
}
