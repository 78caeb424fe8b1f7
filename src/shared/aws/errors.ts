/*
 * AWS SDK failures -> the errors users see: what went wrong and the fix, never a stack trace. Pure:
 * it reads only the error's name, message and HTTP status, which both the SDK's errors and the
 * Private CA client's (privateCaClient.ts) carry.
 */
import { Messages, SfError } from '@salesforce/core';
import type { AwsOperation } from './controlPlane.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'aws');

export type AwsErrorContext = {
  operation: AwsOperation;
  region: string;
  /** The profile the SDK used, for `aws sso login --profile X`. */
  profile: string;
  /** The stack, certificate or CA asked about. */
  resource: string;
};

type ErrorLike = { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const REJECTED_KEYS = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidSignatureException', 'IncompleteSignature']);
const EXPIRED_KEYS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'InvalidToken']);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);

export type AwsErrorLike = ErrorLike;

export function toUserError(error: unknown, context: AwsErrorContext): SfError {
  if (error instanceof SfError) return error as SfError;
  const e = (error ?? {}) as ErrorLike;
  const name = e.name ?? '';
  const text = (e.message ?? String(error)).trim();
  const { operation, region, profile, resource } = context;
  if (/sso/i.test(text) && /expired|sso login|refresh/i.test(text)) {
    return messages.createError('error.SsoExpired', [profile], [profile]);
  }
  if (name === 'CredentialsProviderError' || /could not load credentials|could not resolve credentials/i.test(text)) {
    return messages.createError('error.NoCredentials', [profile, text], [profile]);
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'UnauthorizedOperation') {
    return messages.createError('error.AccessDenied', [operation, resource, region, text], [operation, resource]);
  }
  if (THROTTLING.has(name)) return messages.createError('error.Throttled', [operation, region]);
  if (EXPIRED_KEYS.has(name)) return messages.createError('error.CredentialsExpired', [profile, text], [profile]);
  if (REJECTED_KEYS.has(name)) return messages.createError('error.CredentialsRejected', [profile, text], [profile, profile]);
  if (name === 'AuthorizationHeaderMalformed') return messages.createError('error.WrongSigningRegion', [region, text]);
  if (NETWORK.has(e.code ?? name) || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(text)) {
    return messages.createError('error.Unreachable', [operation, region, text]);
  }
  return messages.createError('error.AwsCallFailed', [operation, resource, region, name || 'Error', text]);
}

/**
 * Runs one AWS call, turning any failure into the user's error for it: `specific` first (the errors
 * that mean something for this operation), then the common table above.
 */
export async function awsCall<T>(
  context: AwsErrorContext,
  call: () => Promise<T>,
  specific?: (error: ErrorLike) => SfError | undefined
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw (error && typeof error === 'object' ? specific?.(error as ErrorLike) : undefined) ?? toUserError(error, context);
  }
}
