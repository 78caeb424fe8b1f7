/*
 * Checks before anything is deployed (Tooling API, read-only): the API version is new enough, no
 * Legacy named credential of the same name is in the way, and the signing certificate the external
 * credential references has been imported and is not expired. What already exists is reported, so
 * a caller can tell "created" from "updated" and undo accordingly.
 */
import type { Connection } from '@salesforce/core';
import { certificateExpiry } from '../keystore/expiry.js';
import { MIN_API_VERSION } from './constants.js';
import { orgMessages } from './messages.js';
import { soqlString } from './soql.js';
import type { OrgNames } from './types.js';

export type CertificateInfo = { id: string; developerName: string; expirationDate?: string; keySize?: number };

export type PreflightResult = {
  apiVersion: string;
  /** Absent only when the request said the run itself makes it (configure --mode csr --dry-run). */
  certificate?: CertificateInfo;
  /** What the org already has under our names (undefined = absent). */
  existing: {
    namedCredential?: { id: string; type: string };
    externalCredential?: { id: string };
  };
  warnings: string[];
};

export type PreflightRequest = {
  names: Pick<OrgNames, 'namedCredential' | 'externalCredential' | 'signingCertificate'>;
  /** Injectable clock for the expiry check. */
  now?: Date;
  /** The run makes the certificate itself (configure --mode csr): its absence is no refusal. */
  certificateMadeByRun?: boolean;
};

export async function runPreflightChecks(connection: Connection, request: PreflightRequest): Promise<PreflightResult> {
  const apiVersion = connection.getApiVersion();
  assertApiVersion(apiVersion);
  const { names } = request;
  const [namedCredentials, externalCredentials, certificates] = await Promise.all([
    connection.tooling.query<{ Id: string; DeveloperName: string; NamedCredentialType?: string }>(
      `SELECT Id, DeveloperName, NamedCredentialType FROM NamedCredential WHERE DeveloperName = '${soqlString(names.namedCredential)}'`
    ),
    connection.tooling.query<{ Id: string }>(
      `SELECT Id, DeveloperName FROM ExternalCredential WHERE DeveloperName = '${soqlString(names.externalCredential)}'`
    ),
    connection.tooling.query<{ Id: string; DeveloperName: string; ExpirationDate?: string; KeySize?: number }>(
      `SELECT Id, DeveloperName, MasterLabel, ExpirationDate, KeySize FROM Certificate WHERE DeveloperName = '${soqlString(names.signingCertificate)}'`
    ),
  ]);
  const namedCredential = namedCredentials.records[0];
  if (namedCredential?.NamedCredentialType === 'Legacy') {
    throw orgMessages.createError('error.LegacyNamedCredential', [names.namedCredential], [names.namedCredential]);
  }
  const cert = certificates.records[0];
  if (!cert && !request.certificateMadeByRun) {
    throw orgMessages.createError('error.CertificateNotImported', [names.signingCertificate], [names.signingCertificate]);
  }
  const certificate: CertificateInfo | undefined = cert && {
    id: cert.Id,
    developerName: cert.DeveloperName,
    ...(cert.ExpirationDate ? { expirationDate: cert.ExpirationDate } : {}),
    ...(cert.KeySize ? { keySize: cert.KeySize } : {}),
  };
  return {
    apiVersion,
    ...(certificate ? { certificate } : {}),
    existing: {
      ...(namedCredential ? { namedCredential: { id: namedCredential.Id, type: namedCredential.NamedCredentialType ?? 'SecuredEndpoint' } } : {}),
      ...(externalCredentials.records[0] ? { externalCredential: { id: externalCredentials.records[0].Id } } : {}),
    },
    warnings: certificate ? certificateWarnings(certificate, request.now ?? new Date()) : [],
  };
}

export function assertApiVersion(apiVersion: string): void {
  if (Number.parseFloat(apiVersion) < MIN_API_VERSION) {
    const minimum = `${MIN_API_VERSION}.0`;
    throw orgMessages.createError('error.ApiVersionTooLow', [apiVersion, minimum], [minimum]);
  }
}

/** Expired: an error (AWS would reject every call). Close to expiry (keystore/expiry.ts): a warning. */
export function certificateWarnings(certificate: CertificateInfo, now: Date): string[] {
  if (!certificate.expirationDate) return [];
  const { status, daysLeft } = certificateExpiry({ notAfter: new Date(certificate.expirationDate) }, now);
  const day = certificate.expirationDate.slice(0, 10);
  if (status === 'expired') {
    throw orgMessages.createError('error.CertificateExpired', [certificate.developerName, day]);
  }
  return status === 'expiring'
    ? [orgMessages.getMessage('warning.CertificateExpiresSoon', [certificate.developerName, day, String(daysLeft)])]
    : [];
}
