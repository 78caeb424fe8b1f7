/*
 * The principal's IAM role ARN is a credential (`awsRoleArn`), not metadata: it is set through the
 * Connect REST API after the deploy [doc] (docs/salesforce-metadata.md §9). GET first, then POST (none yet)
 * or PUT (replace), so a re-run with the same ARN changes nothing.
 */
import type { Connection } from '@salesforce/core';
import { CONNECT_CREDENTIAL } from './constants.js';
import { orgMessages } from './messages.js';
import { errorText, isSessionExpired } from './orgErrors.js';
import { withRetry } from './retry.js';

export type PrincipalRef = { externalCredential: string; principalName: string };

export type PrincipalCredentialChange = PrincipalRef & {
  /** created: there was none; replaced: previousRoleArn was there; unchanged: already this ARN. */
  action: 'created' | 'replaced' | 'unchanged';
  roleArn: string;
  previousRoleArn?: string;
};

type CredentialOutput = {
  authenticationStatus?: string;
  credentials?: Record<string, { value?: string | null } | undefined>;
};

/** What the principal holds now: `exists` decides POST vs PUT (Connect refuses POST over existing credentials). */
export type PrincipalCredentialState = { exists: boolean; roleArn?: string };

export async function getPrincipalCredential(connection: Connection, ref: PrincipalRef): Promise<PrincipalCredentialState> {
  const url = `${credentialUrl(connection)}?${new URLSearchParams({
    externalCredential: ref.externalCredential,
    principalName: ref.principalName,
    principalType: CONNECT_CREDENTIAL.principalType,
  }).toString()}`;
  let output: CredentialOutput;
  try {
    // A read: safe to repeat after a dropped connection or a gateway error.
    output = await withRetry(() => connection.request<CredentialOutput>({ method: 'GET', url }));
  } catch (error) {
    if (isNotFound(error)) return { exists: false };
    throw error;
  }
  const credentials = output?.credentials ?? {};
  const roleArn = credentials[CONNECT_CREDENTIAL.roleArnKey]?.value ?? undefined;
  const exists = output?.authenticationStatus === 'Configured' || Object.keys(credentials).length > 0;
  return { exists, ...(roleArn ? { roleArn } : {}) };
}

/** Sets the role ARN on the principal; reports what it changed so it can be undone. */
export async function setPrincipalRoleArn(
  connection: Connection,
  request: PrincipalRef & { roleArn: string }
): Promise<PrincipalCredentialChange> {
  const ref = { externalCredential: request.externalCredential, principalName: request.principalName };
  try {
    const current = await getPrincipalCredential(connection, ref);
    if (current.roleArn === request.roleArn) return { ...ref, action: 'unchanged', roleArn: request.roleArn };
    await writeRoleArn(connection, current.exists ? 'PUT' : 'POST', ref, request.roleArn);
    return current.exists
      ? { ...ref, action: 'replaced', roleArn: request.roleArn, ...(current.roleArn ? { previousRoleArn: current.roleArn } : {}) }
      : { ...ref, action: 'created', roleArn: request.roleArn };
  } catch (error) {
    throw credentialError(error, ref);
  }
}

/** Takes back a change made by setPrincipalRoleArn: deletes a created credential, restores a replaced one. */
export async function undoPrincipalRoleArn(connection: Connection, change: PrincipalCredentialChange): Promise<void> {
  const ref = { externalCredential: change.externalCredential, principalName: change.principalName };
  if (change.action === 'replaced' && change.previousRoleArn) {
    await writeRoleArn(connection, 'PUT', ref, change.previousRoleArn);
  } else if (change.action === 'created') {
    const query = new URLSearchParams({ ...ref, principalType: CONNECT_CREDENTIAL.principalType }).toString();
    await connection.request({ method: 'DELETE', url: `${credentialUrl(connection)}?${query}` });
  }
}

async function writeRoleArn(connection: Connection, method: 'POST' | 'PUT', ref: PrincipalRef, roleArn: string): Promise<void> {
  await connection.request({
    method,
    url: credentialUrl(connection),
    body: JSON.stringify(credentialInput(ref, roleArn)),
    headers: { 'content-type': 'application/json' },
  });
}

/** Connect `CredentialInput` for the role ARN (stored unencrypted: it is not a secret) [doc]. */
export function credentialInput(ref: PrincipalRef, roleArn: string): Record<string, unknown> {
  return {
    externalCredential: ref.externalCredential,
    authenticationProtocol: CONNECT_CREDENTIAL.authenticationProtocol,
    authenticationProtocolVariant: CONNECT_CREDENTIAL.authenticationProtocolVariant,
    principalType: CONNECT_CREDENTIAL.principalType,
    principalName: ref.principalName,
    credentials: { [CONNECT_CREDENTIAL.roleArnKey]: { value: roleArn, encrypted: false } },
  };
}

function credentialUrl(connection: Connection): string {
  return `/services/data/v${connection.getApiVersion()}/named-credentials/credential`;
}

function isNotFound(error: unknown): boolean {
  const e = error as { errorCode?: string; statusCode?: number; name?: string };
  return e?.statusCode === 404 || e?.errorCode === 'NOT_FOUND' || e?.name === 'NOT_FOUND' || /\b404\b|NOT_FOUND/.test(errorText(error));
}

function credentialError(error: unknown, ref: PrincipalRef): unknown {
  if (isSessionExpired(error)) return error;
  return orgMessages.createError('error.PrincipalCredentialFailed', [ref.principalName, ref.externalCredential, errorText(error)]);
}
