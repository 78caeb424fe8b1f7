/*
 * `sf iamra rotate`: move the external credential's signing certificate (and the named credential's
 * client certificate) to a new certificate already in the org, in one deploy of the org's own
 * components with only that reference changed; run the live check; on failure deploy the previous
 * components back. The old certificate stays in the org; the command that deletes it is returned.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, Org } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { runLiveCheck, serviceOf } from '../doctor/liveCheck.js';
import { namedCredentialParameters } from '../doctor/drift.js';
import { certificateExpiry } from '../keystore/expiry.js';
import { DEFAULT_NAMES } from '../metadata/constants.js';
import { type DeployProgress, deploySource } from '../org/deploy.js';
import { assertDeploySucceeded } from '../org/deployService.js';
import { retrieveComponentXml } from '../org/retrieveComponents.js';
import { soqlString } from '../org/soql.js';
import { certificateIn, repoint } from './repoint.js';
import { certificateUsers, deleteCertificate } from './deleteOld.js';
import { rotateMessages as messages } from './messages.js';

export type RotateRequest = {
  org: Org;
  connection: Connection;
  /** DeveloperName of the new certificate (imported from a keystore, or a completed CSR). */
  certificate: string;
  externalCredential?: string;
  namedCredential?: string;
  /** false: no live check (--no-callout). */
  callout: boolean;
  /** --delete-old: once the live check passed, delete the old certificate if nothing else uses it. */
  deleteOld?: boolean;
  wait?: Duration;
  testLevel?: string;
  now?: Date;
  warn?: (message: string) => void;
  /** Each step as it starts, and the deploys' counts (for the command's stage display). */
  progress?: { status?: (stage: RotateStage) => void; deploy?: (progress: DeployProgress) => void };
};

export type RotateStage = 'check' | 'read' | 'deploy' | 'live-check' | 'delete-old' | 'rollback';

export type RotateLiveCheck = { passed: boolean; service: string; message: string };

export type RotateResult = {
  /** rotated: repointed and checked; unchanged: already on the new certificate (nothing deployed). */
  action: 'rotated' | 'unchanged';
  from: string;
  to: string;
  externalCredential: string;
  namedCredential: string;
  deployId?: string;
  liveCheck?: RotateLiveCheck;
  /** The old certificate is kept; this deletes it once nothing needs it. */
  deleteOldCommand?: string;
  /** What happened to the old certificate after a rotation: deleted (--delete-old), or kept and why. */
  oldCertificate?: OldCertificateOutcome;
};

export type OldCertificateOutcome = {
  name: string;
  action: 'deleted' | 'kept';
  /** kept: what in the org still uses it (--delete-old refused). */
  usedBy?: string[];
  /** kept: why, when --delete-old was given. */
  reason?: string;
  /** deleted: the destructive deploy. */
  deployId?: string;
};

export async function rotateCertificate(request: RotateRequest): Promise<RotateResult> {
  const { connection } = request;
  const ec = request.externalCredential ?? DEFAULT_NAMES.externalCredential;
  const nc = request.namedCredential ?? DEFAULT_NAMES.namedCredential;
  const to = request.certificate;
  const status = request.progress?.status;
  status?.('check');
  await checkNewCertificate(connection, to, request.now ?? new Date(), request.warn);

  const paths = { ec: `externalCredentials/${ec}.externalCredential`, nc: `namedCredentials/${nc}.namedCredential` };
  status?.('read');
  const xml = await retrieveComponentXml(connection, [
    { type: 'ExternalCredential', fullName: ec, path: paths.ec },
    { type: 'NamedCredential', fullName: nc, path: paths.nc },
  ]);
  const ecXml = xml.get(paths.ec);
  const ncXml = xml.get(paths.nc);
  if (!ecXml || !ncXml) throw messages.createError('error.NotConfigured', [ecXml ? nc : ec]);
  const from = certificateIn('ExternalCredential', ecXml);
  if (!from) throw messages.createError('error.NoSigningCertificate', [ec]);
  const clientCertificate = certificateIn('NamedCredential', ncXml);
  const base = { from, to, externalCredential: ec, namedCredential: nc };
  if (from === to && (clientCertificate === undefined || clientCertificate === to)) return { ...base, action: 'unchanged' };

  const edited = {
    ec: repoint('ExternalCredential', ecXml, from, to),
    nc: clientCertificate ? repoint('NamedCredential', ncXml, clientCertificate, to) : ncXml,
  };
  status?.('deploy');
  const deployId = await deployPair(request, ec, nc, edited);
  const service = serviceOf(namedCredentialParameters(ncXml).find((p) => p.parameterType === 'Url')?.parameterValue);
  if (!request.callout || !service) {
    const reason = request.deleteOld ? messages.getMessage('reason.noLiveCheck') : undefined;
    return { ...base, action: 'rotated', deployId, ...kept(from, request.org, { reason }) };
  }
  status?.('live-check');
  const live = await runLiveCheck(connection, { namedCredential: nc, service });
  const liveCheck = { passed: live.passed, service, message: live.message };
  if (live.passed) return { ...base, action: 'rotated', deployId, liveCheck, ...(await oldCertificate(request, from)) };

  // The new certificate does not work: put the previous components back as they were.
  status?.('rollback');
  const rollbackId = await deployPair(request, ec, nc, { ec: ecXml, nc: ncXml });
  const error = messages.createError('error.LiveCheckFailedRolledBack', [to, live.message, from], live.actions);
  error.setData({ ...base, action: 'rolledBack', deployId, rollbackDeployId: rollbackId, liveCheck });
  throw error;
}

/** The new certificate must be in the org and not expired (the expiry policy: close to expiry only warns). */
async function checkNewCertificate(connection: Connection, name: string, now: Date, warn?: (message: string) => void): Promise<void> {
  const rows = await connection.tooling.query<{ DeveloperName: string; ExpirationDate?: string | null }>(
    `SELECT DeveloperName, ExpirationDate FROM Certificate WHERE DeveloperName = '${soqlString(name)}'`
  );
  const row = rows.records[0];
  if (!row) throw messages.createError('error.NewCertificateMissing', [name], [name, name]);
  if (!row.ExpirationDate) return;
  const { status, daysLeft } = certificateExpiry({ notAfter: new Date(row.ExpirationDate) }, now);
  const day = row.ExpirationDate.slice(0, 10);
  if (status === 'expired') throw messages.createError('error.NewCertificateExpired', [name, day]);
  if (status === 'expiring') warn?.(messages.getMessage('warning.NewCertificateExpiresSoon', [name, day, String(daysLeft)]));
}

async function deployPair(request: RotateRequest, ec: string, nc: string, xml: { ec: string; nc: string }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iamra-rotate-'));
  try {
    const files = [
      join(dir, 'externalCredentials', `${ec}.externalCredential-meta.xml`),
      join(dir, 'namedCredentials', `${nc}.namedCredential-meta.xml`),
    ];
    await Promise.all([mkdir(join(dir, 'externalCredentials')), mkdir(join(dir, 'namedCredentials'))]);
    await Promise.all([writeFile(files[0], xml.ec), writeFile(files[1], xml.nc)]);
    const outcome = await deploySource({ org: request.org, connection: request.connection, paths: files, wait: request.wait, testLevel: request.testLevel, onProgress: request.progress?.deploy });
    assertDeploySucceeded(outcome);
    return outcome.id;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** After a passed live check: delete the old certificate (--delete-old) unless something still uses it; else keep it. */
async function oldCertificate(request: RotateRequest, from: string): Promise<Pick<RotateResult, 'deleteOldCommand' | 'oldCertificate'>> {
  if (!request.deleteOld) return kept(from, request.org, {});
  request.progress?.status?.('delete-old');
  const usedBy = await certificateUsers(request.connection, from);
  if (usedBy.length) return kept(from, request.org, { usedBy, reason: messages.getMessage('reason.inUse', [usedBy.join(', ')]) });
  const deleted = await deleteCertificate(request.connection, from, request.wait);
  if (deleted.refused) return kept(from, request.org, { reason: messages.getMessage('reason.orgRefused', [deleted.refused]) });
  return { oldCertificate: { name: from, action: 'deleted', deployId: deleted.deployId } };
}

function kept(from: string, org: Org, why: { usedBy?: string[]; reason?: string }): Pick<RotateResult, 'deleteOldCommand' | 'oldCertificate'> {
  return {
    deleteOldCommand: deleteCommand(from, org),
    oldCertificate: { name: from, action: 'kept', ...(why.usedBy ? { usedBy: why.usedBy } : {}), ...(why.reason ? { reason: why.reason } : {}) },
  };
}

function deleteCommand(certificate: string, org: Org): string {
  return `sf project delete source --metadata Certificate:${certificate} --target-org ${org.getUsername() ?? '<org>'}`;
}
