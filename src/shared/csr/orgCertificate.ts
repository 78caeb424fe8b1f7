/*
 * Reading a certificate back from the org. Certificates do not come back through the source API, so
 * the content (the CSR, later the signed chain) comes from a Metadata-API-format retrieve [seen]
 * (docs/salesforce-metadata.md §6, sfdx-hardis); Tooling `Certificate` says whether the name is taken.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { Connection } from '@salesforce/core';
import { ComponentSet, RequestStatus } from '@salesforce/source-deploy-retrieve';
import { Duration } from '@salesforce/kit';
import { soqlString } from '../org/soql.js';
import { withRetry } from '../org/retry.js';
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
  const dir = await mkdtemp(join(tmpdir(), 'iamra-csr-retrieve-'));
  try {
    const set = new ComponentSet([{ fullName: developerName, type: 'Certificate' }]);
    const retrieve = await withRetry(
      () =>
        set.retrieve({
          usernameOrConnection: connection,
          output: dir,
          format: 'metadata',
          singlePackage: true,
          unzip: true,
          zipFileName: 'certificate.zip',
          suppressEvents: true,
        }),
      { sleep: options.retrySleep }
    );
    const result = await retrieve.pollStatus({ frequency: Duration.milliseconds(pollFrequencyMs()), timeout: options.wait ?? Duration.minutes(10) });
    if (result.response.status !== RequestStatus.Succeeded) {
      throw csrMessages.createError('error.RetrieveFailed', [developerName, String(result.response.status)]);
    }
    const wanted = `certs/${developerName}.crt`;
    const files = (await readdir(dir, { recursive: true })).map((f) => f.split(sep).join('/'));
    const match = files.find((f) => f === wanted || f.endsWith(`/${wanted}`));
    return match ? await readFile(join(dir, ...match.split('/')), 'utf8') : undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** SDR's default suits real orgs; SF_IAMRA_POLL_MS lets simulator runs poll faster (as deploy.ts). */
function pollFrequencyMs(): number {
  const fromEnv = Number(process.env.SF_IAMRA_POLL_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 1000;
}
