/*
 * Checks made before any request leaves the machine, so a wrong certificate, key or CA bundle is
 * named locally instead of coming back as a terse 403. Pure: material and the time in, findings out
 * (the keystore's Finding shape, so both areas report alike).
 * The key-matches-certificate and intermediates-link-to-the-leaf checks are made by the keystore
 * intake when it reads the files (it refuses a mismatch); the certificate rules shared with the
 * keystore commands come from keystore/rules.ts; the key-type rule here is Roles Anywhere's own.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { Messages } from '@salesforce/core';
import { isIssuedBy, isSelfSigned } from '../keystore/chain.js';
import { certificateFindings, type Finding } from '../keystore/rules.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'rolesanywhere');

/** A finding of this area, worded in messages/rolesanywhere.md (`check.<code>`, `check.<code>.action`). */
function finding(code: string, tokens: string[]): Finding {
  return {
    code,
    severity: 'error',
    message: messages.getMessage(`check.${code}`, tokens),
    action: messages.getMessage(`check.${code}.action`),
  };
}

/**
 * Everything checked locally, in the order a user should fix things: key type, the shared
 * certificate rules (CA:false, digitalSignature, no MD5/SHA-1, validity), then the CA bundle.
 */
export function localFindings(
  key: KeyObject,
  chain: X509Certificate[],
  now: Date,
  trustAnchorBundle?: X509Certificate[]
): Finding[] {
  return [
    ...checkKeyType(key),
    ...certificateFindings(chain, now),
    ...(trustAnchorBundle ? checkTrustAnchorBundle(chain, trustAnchorBundle, now) : []),
  ];
}

/** Roles Anywhere signs with RSA (PKCS#1 v1.5) or ECDSA; these sizes and curves are accepted [doc]. */
const MIN_RSA_BITS = 2048;
const ACCEPTED_CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384' };

export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return `RSA ${details.modulusLength ?? '?'}`;
  if (key.asymmetricKeyType === 'ec') return `EC ${ACCEPTED_CURVES[details.namedCurve ?? ''] ?? details.namedCurve ?? '?'}`;
  return key.asymmetricKeyType ?? 'unknown';
}

/** RSA >= 2048 bits or EC P-256/P-384. */
export function checkKeyType(key: KeyObject): Finding[] {
  const details = key.asymmetricKeyDetails ?? {};
  const ok =
    (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= MIN_RSA_BITS) ||
    (key.asymmetricKeyType === 'ec' && (details.namedCurve ?? '') in ACCEPTED_CURVES);
  return ok ? [] : [finding('UnsupportedKeyType', [describeKey(key)])];
}

/**
 * With --trust-anchor-certificate: the top of the sent chain must be issued by (or be) one of the
 * bundle's CAs, as the service will require of the trust anchor.
 */
export function checkTrustAnchorBundle(chain: X509Certificate[], bundle: X509Certificate[], now: Date): Finding[] {
  const sent = chain.filter((cert, index) => index === 0 || !isSelfSigned(cert));
  const top = sent[sent.length - 1];
  const anchor = bundle.find((ca) => ca.raw.equals(top.raw) || isIssuedBy(top, ca));
  if (!anchor) {
    return [finding('NotUnderTrustAnchor', [oneLine(top.issuer), bundle.map((ca) => oneLine(ca.subject)).join('; ')])];
  }
  if (!anchor.ca) return [finding('TrustAnchorNotCa', [oneLine(anchor.subject)])];
  if (now > new Date(anchor.validTo) || now < new Date(anchor.validFrom)) {
    return [finding('TrustAnchorExpired', [oneLine(anchor.subject), anchor.validFrom, anchor.validTo])];
  }
  return [];
}

/** The certificates that go into X-Amz-X509-Chain: intermediates only, never the leaf or a root. */
export function intermediatesToSend(chain: X509Certificate[]): X509Certificate[] {
  return chain.slice(1).filter((cert) => !isSelfSigned(cert));
}

export const oneLine = (dn: string): string => dn.split('\n').join(', ');

export const commonName = (cert: X509Certificate): string | undefined => /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
