/*
 * The one expiry policy: every command that reads a certificate (a local PEM/JKS/PKCS#12, or the
 * org's Certificate record) classifies it here, so the thresholds live in one place. Pure: the
 * dates and "now" in, a status out.
 */

/**
 * Warn this many days before expiry. ACM starts renewing a private certificate 60 days before it
 * expires [doc], so from then on a renewed certificate exists and the copy in Salesforce should be rotated.
 */
export const EXPIRY_WARNING_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

export type ExpiryStatus = 'valid' | 'expiring' | 'expired' | 'not-yet-valid';

export type Expiry = {
  status: ExpiryStatus;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
};

export function certificateExpiry(validity: { notAfter: Date; notBefore?: Date }, now: Date): Expiry {
  const { notAfter, notBefore } = validity;
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (notAfter.getTime() <= now.getTime()) return { status: 'expired', daysLeft };
  if (notBefore && notBefore.getTime() > now.getTime()) return { status: 'not-yet-valid', daysLeft };
  return { status: daysLeft < EXPIRY_WARNING_DAYS ? 'expiring' : 'valid', daysLeft };
}
