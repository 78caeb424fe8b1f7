/*
 * Is the certificate the org holds under a name the keystore's? Pure. Tooling `Certificate` returns
 * `CertificateChain` (docs/salesforce-metadata.md §10); when it holds the chain as PEM, the leaf's public
 * key is compared with the keystore's. When it does not (the org exposes no key material), what can be
 * compared is the expiry date and the key size, and the result says so: a weaker check, named as such.
 */
import { X509Certificate } from 'node:crypto';

export type OrgCertificateRecord = { expirationDate?: string | null; keySize?: number | null; certificateChain?: string | null };

export type Comparison = {
  matches: boolean;
  /** What was compared: the public keys, or (no key material in the org) the expiry date and key size. */
  compared: 'public-key' | 'expiry-and-key-size';
  /** One line for the user: what differs, or what matched. */
  detail: string;
};

export function compareWithKeystore(org: OrgCertificateRecord, leaf: X509Certificate): Comparison {
  const orgLeaf = firstCertificate(org.certificateChain);
  if (orgLeaf) {
    const same = orgLeaf.publicKey.export({ type: 'spki', format: 'der' }).equals(leaf.publicKey.export({ type: 'spki', format: 'der' }));
    return { matches: same, compared: 'public-key', detail: same ? 'the public keys are the same' : `the org's certificate (${orgLeaf.subject.replace(/\n/g, ', ')}) has another public key` };
  }
  const keySize = leaf.publicKey.asymmetricKeyDetails?.modulusLength;
  const leafDay = new Date(leaf.validTo).toISOString().slice(0, 10);
  const orgDay = org.expirationDate ? new Date(org.expirationDate).toISOString().slice(0, 10) : undefined;
  const problems = [
    ...(orgDay && orgDay !== leafDay ? [`expires ${orgDay}, the keystore's certificate ${leafDay}`] : []),
    ...(org.keySize && keySize && org.keySize !== keySize ? [`has a ${org.keySize}-bit key, the keystore ${keySize}`] : []),
  ];
  return {
    matches: problems.length === 0,
    compared: 'expiry-and-key-size',
    detail: problems.length ? `the org's certificate ${problems.join(' and ')}` : `expiry ${leafDay} and key size ${keySize ?? '?'} match`,
  };
}

function firstCertificate(chain: string | null | undefined): X509Certificate | undefined {
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(chain ?? '')?.[0];
  if (!pem) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}
