/*
 * Platform facts the org adapters depend on, in one place. Items tagged [inferred] are not yet
 * confirmed in a live org (docs/salesforce-metadata.md §15); when one is confirmed or refuted,
 * this is the only file to edit.
 */
import { AUTH_PROTOCOL_VARIANT, AUTHENTICATION_PROTOCOL } from '../metadata/constants.js';

/**
 * The --test-level values `iamra deploy` and `iamra configure` offer. No RunSpecifiedTests (nor
 * RunRelevantTests): the deployed set has no Apex, and neither command has a --tests flag to name any.
 */
export const TEST_LEVELS = ['NoTestRun', 'RunLocalTests', 'RunAllTestsInOrg'] as const;

/** Lowest API version with `externalCredentialPrincipalAccesses` and `calloutStatus` [doc]. */
export const MIN_API_VERSION = 59;

/** Connect REST `credential` input for a Roles Anywhere principal [doc] (CX-CRED). */
export const CONNECT_CREDENTIAL = {
  authenticationProtocol: AUTHENTICATION_PROTOCOL,
  /** Connect's name for the Roles Anywhere variant [doc]; that RolesAnywhere reads `awsRoleArn` is [inferred]. */
  authenticationProtocolVariant: AUTH_PROTOCOL_VARIANT.parameterValue,
  principalType: 'NamedPrincipal',
  roleArnKey: 'awsRoleArn',
} as const;

/**
 * The anonymous Apex reports through a thrown exception whose message carries this marker followed by
 * JSON [inferred technique]: the platform's prefix before the marker is not verified, so we search for it.
 */
export const SMOKE_MARKER = 'SMOKE::';

/** Name in scripts/apex/get-caller-identity.apex that the plugin replaces with the named credential's name. */
export const SMOKE_APEX_PLACEHOLDER = 'APN_API_Connection';

/** CalloutException texts and what they mean [inferred: paraphrased from community reports, not Salesforce docs]. */
export const CALLOUT_EXCEPTION_PATTERNS: ReadonlyArray<{ pattern: RegExp; diagnosis: SmokeDiagnosisCode }> = [
  { pattern: /customize application|manage named credentials/i, diagnosis: 'MissingCustomizeApplication' },
  // Before the principal pattern: a missing role ARN message also names the principal.
  { pattern: /role ?arn|awsRoleArn/i, diagnosis: 'RoleArnMissing' },
  { pattern: /certificate|keystore|ssl|handshake/i, diagnosis: 'CertificateProblem' },
  {
    pattern: /couldn.?t access the credential|principal|permission set|not have the required permissions|user external credential/i,
    diagnosis: 'PermissionSetNotAssigned',
  },
];

/**
 * How a lost connection to the org reads once ExecuteService has rewrapped it (it keeps only the text):
 * jsforce's fetch says "fetch failed" for a dropped socket [seen, org simulator], Node names the rest;
 * an HTML 5xx page is an org (or proxy) that is down, not a missing permission.
 */
export const ORG_UNREACHABLE_PATTERN =
  /fetch failed|socket hang up|other side closed|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR_|HTTP status code: 5\d\d/i;

/** Reasons a smoke test fails; each has `smoke.diagnosis.<code>` and `.actions` messages in messages/org.md. */
export type SmokeDiagnosisCode =
  | 'ApexCompileFailure'
  | 'NoMarker'
  | 'PermissionSetNotAssigned'
  | 'CertificateProblem'
  | 'RoleArnMissing'
  | 'AwsAccessDenied'
  | 'NamedCredentialOnS3'
  | 'MissingCustomizeApplication'
  | 'MissingApexPermission'
  | 'OrgUnreachable'
  | 'CalloutFailed'
  | 'UnexpectedStatus';
