/*
 * Orders certificates leaf -> root by verified signatures, whatever order they came in. Pure: the
 * caller decides whether a missing leaf or an unlinked certificate is an error or a finding.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';

export type LinkedChain = {
  /** The certificate whose public key matches the private key; undefined when none does. */
  leaf?: X509Certificate;
  /** leaf, its issuer, ..., up to a self-signed root or the last certificate that links. */
  ordered: X509Certificate[];
  /** Certificates (after de-duplication) that are not part of the leaf's chain. */
  unlinked: X509Certificate[];
};

export function dedupeCertificates(certificates: X509Certificate[]): X509Certificate[] {
  const seen = new Set<string>();
  return certificates.filter((cert) => {
    const id = cert.raw.toString('base64');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function matchesKey(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    // a key of another type (EC key, RSA certificate) throws instead of returning false
    return false;
  }
}

/** True when `issuer` issued `cert` and its key verifies cert's signature. */
export function isIssuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export function isSelfSigned(cert: X509Certificate): boolean {
  return isIssuedBy(cert, cert);
}

export function linkChain(certificates: X509Certificate[], key: KeyObject): LinkedChain {
  const pool = dedupeCertificates(certificates);
  const leaf = pool.find((cert) => matchesKey(cert, key));
  if (!leaf) return { ordered: [], unlinked: pool };
  return followIssuers(leaf, pool);
}

/**
 * Without a key: the leaf is the certificate that issued none of the others; then follow issuers.
 * Used to describe a keystore whose key cannot be recovered.
 */
export function orderBySignatures(certificates: X509Certificate[]): LinkedChain {
  const pool = dedupeCertificates(certificates);
  const leaf = pool.find((candidate) => !pool.some((other) => other !== candidate && isIssuedBy(other, candidate))) ?? pool[0];
  if (!leaf) return { ordered: [], unlinked: [] };
  return followIssuers(leaf, pool);
}

/**
 * When the leaf is known without a key (CSR mode: the key stays in Salesforce): the leaf and its
 * issuers from `others`, by verified signatures; what does not link is `unlinked`.
 */
export function chainFromLeaf(leaf: X509Certificate, others: X509Certificate[]): LinkedChain {
  return followIssuers(leaf, dedupeCertificates([leaf, ...others]));
}

/** leaf, its issuer, ... until a self-signed certificate or one whose issuer is not in the pool. */
function followIssuers(leaf: X509Certificate, pool: X509Certificate[]): LinkedChain {
  const ordered = [leaf];
  let rest = pool.filter((cert) => cert !== leaf);
  for (let current = leaf; !isSelfSigned(current); ) {
    const issuer = rest.find((cert) => isIssuedBy(current, cert));
    if (!issuer) break;
    ordered.push(issuer);
    rest = rest.filter((cert) => cert !== issuer);
    current = issuer;
  }
  return { leaf, ordered, unlinked: rest };
}
