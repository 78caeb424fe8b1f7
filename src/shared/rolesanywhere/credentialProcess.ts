/*
 * The `credential_process` output AWS SDKs and the CLI read: exactly these keys, Version 1, and
 * Expiration verbatim from the service (ISO-8601), as AWS's credential helper prints it.
 */
import type { SessionCredentials } from './response.js';

export type CredentialProcessOutput = {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
};

export function credentialProcessJson(credentials: SessionCredentials): CredentialProcessOutput {
  return {
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration,
  };
}
