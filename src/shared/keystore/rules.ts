/*
 * The rules Salesforce and IAM Roles Anywhere apply, as pure functions returning findings. Certificate
 * rules are shared with the AWS pre-flight (which brings its own key-type rule); the RSA-only rule is
 * Salesforce's. "now" is a parameter so tests can stand anywhere in a certificate's life.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { Messages } from '@salesforce/core';
import { certificateDetails, certificateName } from './certificateDetails.js';
import { isSelfSigned } from './chain.js';
import { certificateExpiry } from './expiry.js';
import {
  ALIAS_MAX_LENGTH,
  ALIAS_PATTERN,
  PASSWORD_MIN_LENGTH,
  PASSWORD_PATTERN,
  SALESFORCE_RSA_SIZES,
  WEAK_SIGNATURE_OIDS,
} from './constants.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'keystore');

export type Severity = 'error' | 'warning';

export type Finding = {
  /** Stable identifier scripts can match on, e.g. "LeafIsCa". */
  code: string;
  severity: Severity;
  message: string;
  /** How to fix it. */
  action: string;
};

export function finding(code: string, severity: Severity, tokens: string[] = []): Finding {
  return {
    code,
    severity,
    message: messages.getMessage(`finding.${code}`, tokens),
    action: messages.getMessage(`finding.${code}.action`),
  };
}

export const hasErrors = (findings: Finding[]): boolean => findings.some((f) => f.severity === 'error');

/** What IAM Roles Anywhere requires of the end-entity certificate [doc] (AWS-TRUST). */
export function leafCertificateFindings(leaf: X509Certificate): Finding[] {
  const findings: Finding[] = [];
  const details = certificateDetails(leaf);
  if (leaf.ca || details.basicConstraintsCa) findings.push(finding('LeafIsCa', 'error'));
  if (details.digitalSignature !== true) findings.push(finding('NoDigitalSignature', 'error'));
  return findings;
}

/** MD5/SHA-1 signatures on the leaf or an intermediate (a root's self-signature is never checked). */
export function signatureFindings(chain: X509Certificate[]): Finding[] {
  return chain
    .filter((cert, index) => index === 0 || !isSelfSigned(cert))
    .flatMap((cert) => {
      const weak = WEAK_SIGNATURE_OIDS[certificateDetails(cert).signatureAlgorithmOid];
      return weak ? [finding('WeakSignature', 'error', [certificateName(cert), weak])] : [];
    });
}

/** Expired / not yet valid are errors; close to expiry (the policy in expiry.ts) is a warning. */
export function validityFindings(chain: X509Certificate[], now: Date): Finding[] {
  return chain.flatMap((cert) => {
    const notBefore = new Date(cert.validFrom);
    const notAfter = new Date(cert.validTo);
    const name = certificateName(cert);
    const { status, daysLeft } = certificateExpiry({ notAfter, notBefore }, now);
    if (status === 'expired') return [finding('Expired', 'error', [name, notAfter.toISOString()])];
    if (status === 'not-yet-valid') return [finding('NotYetValid', 'error', [name, notBefore.toISOString()])];
    return status === 'expiring' ? [finding('ExpiresSoon', 'warning', [name, notAfter.toISOString(), String(daysLeft)])] : [];
  });
}

/** Every certificate rule, for a chain ordered leaf -> root. */
export function certificateFindings(chain: X509Certificate[], now: Date): Finding[] {
  if (chain.length === 0) return [];
  return [...leafCertificateFindings(chain[0]), ...signatureFindings(chain), ...validityFindings(chain, now)];
}

/**
 * A keystore with only a CA-issued leaf: with no intermediates sent, IAM Roles Anywhere finds a path only
 * when the trust anchor's CA issued the leaf itself ("Untrusted signing certificate" otherwise,
 * docs/rolesanywhere-signing.md). That Salesforce sends the keystore's chain as the intermediates is [inferred].
 */
export function leafOnlyFindings(chain: X509Certificate[]): Finding[] {
  if (chain.length !== 1 || isSelfSigned(chain[0])) return [];
  return [finding('LeafOnly', 'warning', [certificateName(chain[0]), chain[0].issuer.replace(/\n/g, ', ')])];
}

/** Salesforce imports only RSA 2048/3072/4096 [doc]. Takes the private key or the leaf's public key. */
export function salesforceKeyFindings(key: KeyObject): Finding[] {
  if (key.asymmetricKeyType !== 'rsa') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return [finding('KeyNotRsa', 'error', [curve ? `${key.asymmetricKeyType ?? 'unknown'} (${curve})` : key.asymmetricKeyType ?? 'unknown'])];
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  return SALESFORCE_RSA_SIZES.includes(bits) ? [] : [finding('RsaSize', 'error', [String(bits)])];
}

/** Our keystore password policy [inferred]: PASSWORD_MIN_LENGTH+ printable ASCII characters. */
export function passwordFindings(password: string): Finding[] {
  const findings: Finding[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) findings.push(finding('PasswordTooShort', 'error', [String(PASSWORD_MIN_LENGTH)]));
  if (!PASSWORD_PATTERN.test(password)) findings.push(finding('PasswordNotPrintable', 'error'));
  return findings;
}

export type AliasCheck = { alias: string; lowerCased: boolean; valid: boolean };

/** Lower-cases the alias (what Java and Salesforce do) and checks it is a valid Unique Name. */
export function checkAlias(requested: string): AliasCheck {
  const alias = requested.toLowerCase();
  return {
    alias,
    lowerCased: alias !== requested,
    valid: alias.length <= ALIAS_MAX_LENGTH && ALIAS_PATTERN.test(alias),
  };
}
