/*
 * Every IAM Roles Anywhere fact this area depends on, in one place. Items tagged [inferred] in
 * docs/rolesanywhere-signing.md are marked INFERRED: one edit here fixes
 * them once confirmed against the live service.
 */

export const SERVICE = 'rolesanywhere';
export const CREATE_SESSION_PATH = '/sessions';

/** Default endpoint per region [doc]; China regions use the .com.cn suffix. */
export function defaultEndpoint(region: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${SERVICE}.${region}.${suffix}`;
}

/** Request and profile durationSeconds bounds and the profile default [doc]. */
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43_200;
export const DEFAULT_DURATION_SECONDS = 3600;

/** CreateSession succeeds with 201 [doc]. */
export const CREATED = 201;

/**
 * INFERRED: SigV4 services usually reject request times more than ~15 minutes off; we flag a
 * response Date further than this from the local clock as clock skew.
 */
export const CLOCK_SKEW_LIMIT_MS = 5 * 60 * 1000;


/** HTTP timeout for the single CreateSession call. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * How the service's error texts are recognised. "Untrusted signing certificate" and "Invalid
 * signature" are [seen] (credential-helper issues #108, #128). The texts for a role the trust
 * policy refuses, a role the profile does not list, a too-long duration and a disabled trust
 * anchor are not documented: INFERRED patterns, kept loose on purpose; unknown texts fall back to
 * a general AccessDenied diagnosis that lists every cause.
 */
export const ERROR_PATTERNS = {
  untrustedCertificate: /untrusted signing certificate/i,
  invalidSignature: /invalid signature|signature.*(not|does not) match|request.*(expired|too skewed)/i,
  durationTooLong: /duration/i,
  roleNotInProfile: /profile/i,
  roleTrustPolicy: /assume role|assumerole|trust polic|not authorized/i,
  trustAnchorDisabled: /disabled/i,
};
