/*
 * Turns a refused CreateSession into an SfError that keeps the service's code and message and
 * adds what probably went wrong and how to fix it. Pure: the reply and the request context in.
 */
import { Messages, type SfError } from '@salesforce/core';
import { CLOCK_SKEW_LIMIT_MS, ERROR_PATTERNS } from './constants.js';
import type { ServiceErrorReply } from './response.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'rolesanywhere');

export type DiagnosisContext = {
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  durationSeconds: number;
  region: string;
  endpoint: string;
  /** Leaf subject CN, for the trust-policy example. */
  subjectCommonName?: string;
  /** Local clock when the reply arrived. */
  localNow: Date;
};

export type ServiceErrorKind =
  | 'ClockSkew'
  | 'UntrustedCertificate'
  | 'InvalidSignature'
  | 'DurationAboveProfileLimit'
  | 'RoleNotInProfile'
  | 'RoleTrustPolicy'
  | 'ResourceNotFound'
  | 'AccessDenied'
  | 'ServiceError';

/** Signed minutes between the server's clock and ours; undefined without a Date header. */
export function clockSkewMs(reply: ServiceErrorReply | { serverDate?: Date }, localNow: Date): number | undefined {
  return reply.serverDate ? reply.serverDate.getTime() - localNow.getTime() : undefined;
}

export function classifyServiceError(reply: ServiceErrorReply, localNow: Date): ServiceErrorKind {
  const skew = clockSkewMs(reply, localNow);
  const text = reply.message;
  const denied = reply.status === 403 || /AccessDenied/i.test(reply.code);
  if (denied && skew !== undefined && Math.abs(skew) > CLOCK_SKEW_LIMIT_MS) return 'ClockSkew';
  if (ERROR_PATTERNS.untrustedCertificate.test(text)) return 'UntrustedCertificate';
  if (ERROR_PATTERNS.invalidSignature.test(text)) return 'InvalidSignature';
  if (ERROR_PATTERNS.durationTooLong.test(text)) return 'DurationAboveProfileLimit';
  if (/ResourceNotFound/i.test(reply.code)) return 'ResourceNotFound';
  if (denied && ERROR_PATTERNS.roleNotInProfile.test(text)) return 'RoleNotInProfile';
  if (denied && ERROR_PATTERNS.roleTrustPolicy.test(text)) return 'RoleTrustPolicy';
  if (denied) return 'AccessDenied';
  return 'ServiceError';
}

/** "about 40 minutes (AWS is ahead)"; seconds below two minutes. */
function describeSkew(skewMs: number | undefined): string {
  if (skewMs === undefined) return messages.getMessage('skew.unknown');
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  const amount = seconds < 120 ? `${seconds} seconds` : `about ${Math.round(seconds / 60)} minutes`;
  return messages.getMessage(skewMs >= 0 ? 'skew.awsAhead' : 'skew.awsBehind', [amount]);
}

/** The trust policy the role needs, narrowed to this trust anchor and certificate subject. */
export function suggestedTrustPolicy(trustAnchorArn: string, subjectCommonName?: string): string {
  const condition: Record<string, unknown> = { ArnEquals: { 'aws:SourceArn': [trustAnchorArn] } };
  if (subjectCommonName) condition.StringEquals = { 'aws:PrincipalTag/x509Subject/CN': subjectCommonName };
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'rolesanywhere.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
          Condition: condition,
        },
      ],
    },
    undefined,
    2
  );
}

export function diagnoseServiceError(reply: ServiceErrorReply, context: DiagnosisContext): SfError {
  const kind = classifyServiceError(reply, context.localNow);
  const service = `${reply.code}: ${reply.message} (HTTP ${reply.status})`;
  const skew = clockSkewMs(reply, context.localNow);
  const skewText = describeSkew(skew);
  const profileId = context.profileArn.split('/').pop() ?? context.profileArn;
  const roleName = context.roleArn.split('/').pop() ?? context.roleArn;
  const tokens: Record<ServiceErrorKind, { message: string[]; actions: string[] }> = {
    ClockSkew: { message: [service, skewText], actions: [] },
    UntrustedCertificate: { message: [service], actions: [context.trustAnchorArn] },
    InvalidSignature: { message: [service, skewText], actions: [context.region, context.endpoint] },
    DurationAboveProfileLimit: { message: [service, String(context.durationSeconds)], actions: [profileId] },
    RoleNotInProfile: { message: [service, context.roleArn, context.profileArn], actions: [profileId, context.roleArn] },
    RoleTrustPolicy: {
      message: [service, context.roleArn],
      actions: [roleName, suggestedTrustPolicy(context.trustAnchorArn, context.subjectCommonName)],
    },
    ResourceNotFound: { message: [service], actions: [context.region] },
    AccessDenied: { message: [service], actions: [] },
    ServiceError: { message: [service], actions: [] },
  };
  const error = messages.createError(`error.${kind}`, tokens[kind].message, tokens[kind].actions);
  error.setData({ kind, status: reply.status, code: reply.code, serviceMessage: reply.message });
  return error;
}
