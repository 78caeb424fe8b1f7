/*
 * Reading a certificate back from the org. Certificates do not come back through the source API, so
 * the content (the CSR, later the signed chain) comes from a Metadata-API-format retrieve [seen]
 * (docs/salesforce-metadata.md §6, sfdx-hardis); Tooling `Certificate` says whether the name is taken.
 */
import type { Connection } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { retrieveFiles } from '../org/deployMetadata.js';
import { soqlString } from '../org/soql.js';
import { type CertificateSigningRequest, holdsCertificate, readCsr } from './csr.js';
import { csrMessages } from './messages.js';

export type OrgCertificate = {
  id: string;
  developerName: string;
  masterLabel: string;
  keySize?: number;
  expirationDate?: string;
};

type CertificateRow = { Id: string; DeveloperName: string; MasterLabel: string; KeySize?: number; ExpirationDate?: string };

export async function findCertificate(connection: Connection, developerName: string): Promise<OrgCertificate | undefined> {
  const result = await connection.tooling.query<CertificateRow>(
    `SELECT Id, DeveloperName, MasterLabel, ExpirationDate, KeySize FROM Certificate WHERE DeveloperName = '${soqlString(developerName)}'`
  );
  const row = result.records[0];
  if (!row) return undefined;
  return {
    id: row.Id,
    developerName: row.DeveloperName,
    masterLabel: row.MasterLabel,
    ...(row.KeySize ? { keySize: row.KeySize } : {}),
    ...(row.ExpirationDate ? { expirationDate: row.ExpirationDate } : {}),
  };
}

/**
 * What the org holds under a certificate name: nothing, a pending CSR (CA-signed, not yet signed),
 * a signed chain or an imported certificate (`signed`), or a content that is neither (`other`).
 */
export type CertificateState =
  | { kind: 'missing' }
  | { kind: 'pending'; existing: OrgCertificate; csr: CertificateSigningRequest }
  | { kind: 'signed' | 'other'; existing: OrgCertificate; content: string };

export async function readCertificateState(
  connection: Connection,
  developerName: string,
  options: { wait?: Duration; retrySleep?: (ms: number) => Promise<void> } = {}
): Promise<CertificateState> {
  const existing = await findCertificate(connection, developerName);
  if (!existing) return { kind: 'missing' };
  const content = (await retrieveCertificateContent(connection, developerName, options)) ?? '';
  const csr = readCsr(content);
  if (csr) return { kind: 'pending', existing, csr };
  return { kind: holdsCertificate(content) ? 'signed' : 'other', existing, content };
}

/** The certificate's `.crt` content from a Metadata-API-format retrieve; undefined when the org returned none. */
export async function retrieveCertificateContent(
  connection: Connection,
  developerName: string,
  options: { wait?: Duration; retrySleep?: (ms: number) => Promise<void> } = {}
): Promise<string | undefined> {
  const path = `certs/${developerName}.crt`;
  const retrieved = await retrieveFiles(connection, [{ fullName: developerName, type: 'Certificate' }], [path], options);
  if (!retrieved.succeeded) throw csrMessages.createError('error.RetrieveFailed', [developerName, retrieved.status]);
  return retrieved.files.get(path);
}
