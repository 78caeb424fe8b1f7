/*
 * Rotation's pre-flight, when the new key is on this machine (a keystore or a PEM pair): one
 * CreateSession with it against IAM Roles Anywhere, using the trust anchor, profile and region the
 * org's external credential holds and the principal's role ARN (docs/salesforce-metadata.md §3, §9).
 * Read-only for the org; a failure stops the rotation before anything in the org changes.
 */
import { SfError, type Connection } from '@salesforce/core';
import { externalCredentialParameters } from '../doctor/drift.js';
import type { CredentialSource, SecretAsker } from '../keystore/intake.js';
import { DEFAULT_NAMES } from '../metadata/constants.js';
import { getPrincipalCredential } from '../org/principalCredential.js';
import { retrieveComponentXml } from '../org/retrieveComponents.js';
import { verifyRolesAnywhere, type VerifyResult } from '../rolesanywhere/createSession.js';
import { rotateMessages as messages } from './messages.js';

export type RotatePreflightRequest = {
  connection: Connection;
  externalCredential?: string;
  credential: CredentialSource;
  askSecret: SecretAsker;
  /** Roles Anywhere base URL (default the region's public endpoint). */
  endpoint?: string;
};

export async function rotatePreflight(request: RotatePreflightRequest): Promise<VerifyResult> {
  const ec = request.externalCredential ?? DEFAULT_NAMES.externalCredential;
  const path = `externalCredentials/${ec}.externalCredential`;
  const xml = (await retrieveComponentXml(request.connection, [{ type: 'ExternalCredential', fullName: ec, path }])).get(path);
  if (!xml) throw messages.createError('error.NotConfigured', [ec]);
  const parameters = externalCredentialParameters(xml);
  const value = (name: string): string | undefined => parameters.find((p) => p.parameterName === name)?.parameterValue;
  const principal = parameters.find((p) => p.parameterType === 'NamedPrincipal')?.parameterName ?? DEFAULT_NAMES.principal;
  const { roleArn } = await getPrincipalCredential(request.connection, { externalCredential: ec, principalName: principal });
  const arns = { trustAnchorArn: value('AwsTrustAnchorArn'), profileArn: value('AwsProfileArn'), roleArn };
  const missing = Object.entries(arns).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw messages.createError('error.PreflightNoArns', [ec, missing.join(', ')]);
  const duration = Number(value('AwsStsDuration'));
  try {
    return await verifyRolesAnywhere({
      ...arns,
      credential: request.credential,
      askSecret: request.askSecret,
      region: value('AwsRegion'),
      endpoint: request.endpoint,
      durationSeconds: Number.isInteger(duration) && duration > 0 ? duration : undefined,
    });
  } catch (error) {
    if (!(error instanceof SfError)) throw error;
    // The pre-flight's own diagnosis, said as what it means here: nothing was changed.
    const stopped = messages.createError('error.PreflightFailed', [error.message], error.actions ?? []);
    stopped.setData({ reason: error.name });
    throw stopped;
  }
}
