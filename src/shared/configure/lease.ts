/*
 * One configure at a time per org. The lease is a record the org itself refuses to duplicate: an
 * empty permission set with a fixed API name. Creating it is atomic in the org (PermissionSet.Name is
 * unique per org: a second insert gets DUPLICATE_DEVELOPER_NAME [seen]; that the check is atomic under
 * concurrent inserts is [inferred] from it being a unique index). Its Description says who holds it
 * and until when; a lease past that time, or held by a process of this machine that is gone, is stale and is taken over (deleted by id, then inserted
 * again, so two runs breaking one stale lease still cannot both win). The run deletes it at the end.
 * It grants nothing and is assigned to nobody.
 */
import { hostname } from 'node:os';
import { type Connection, Messages } from '@salesforce/core';
import { errorText } from '../org/orgErrors.js';
import { soqlString } from '../org/soql.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.configure');

/** The lease's API name and label (docs/salesforce-metadata.md: permission set names are unique per org). */
export const LEASE_NAME = 'IAMRA_Configure_Lock';
const LEASE_LABEL = 'IAMRA configure lock (deleted when the run ends)';

export type Lease = { id: string; holder: string; expires: string };

type Holder = { holder: string; expires: string; host?: string; pid?: number };

export async function takeLease(
  connection: Connection,
  options: { username: string; minutes: number; now?: () => Date }
): Promise<Lease> {
  const now = options.now ?? ((): Date => new Date());
  const holder = `${options.username} (pid ${process.pid} on ${hostname()})`;
  for (let attempt = 0; ; attempt++) {
    const expires = new Date(now().getTime() + options.minutes * 60_000).toISOString();
    try {
      // eslint-disable-next-line no-await-in-loop
      const saved = await connection.sobject('PermissionSet').create({
        Name: LEASE_NAME,
        Label: LEASE_LABEL,
        Description: JSON.stringify({ holder, expires, host: hostname(), pid: process.pid } satisfies Holder),
      });
      if (saved.success) return { id: saved.id, holder, expires };
      throw new Error(saved.errors.map((e) => (typeof e === 'string' ? e : e.message)).join(', '));
    } catch (error) {
      if (!/DUPLICATE_DEVELOPER_NAME|DUPLICATE_VALUE|already in use/i.test(`${(error as { errorCode?: string }).errorCode ?? ''} ${errorText(error)}`)) {
        throw error;
      }
      // eslint-disable-next-line no-await-in-loop
      const current = await currentLease(connection);
      if (current && attempt === 0 && isStale(current, now())) {
        // Stale: its run ended without releasing it (killed, or its session was revoked). Take it over once.
        // eslint-disable-next-line no-await-in-loop
        await connection.sobject('PermissionSet').destroy(current.id).catch(() => undefined);
        continue;
      }
      if (!current && attempt === 0) continue; // released between our insert and our read
      throw messages.createError(
        'error.ConfigureRunning',
        [current?.holder ?? '?', current?.expires ?? '?'],
        [current?.expires ?? '?', LEASE_NAME]
      );
    }
  }
}

export async function releaseLease(connection: Connection, lease: Lease | undefined): Promise<void> {
  if (!lease) return;
  await connection.sobject('PermissionSet').destroy(lease.id);
}

/** Past its time, or held by a process of this machine that no longer runs. */
function isStale(lease: Holder, now: Date): boolean {
  if (new Date(lease.expires).getTime() <= now.getTime()) return true;
  if (lease.host !== hostname() || !lease.pid || lease.pid === process.pid) return false;
  try {
    process.kill(lease.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function currentLease(connection: Connection): Promise<(Holder & { id: string }) | undefined> {
  const rows = await connection.query<{ Id: string; Description?: string | null }>(
    `SELECT Id, Description FROM PermissionSet WHERE Name = '${soqlString(LEASE_NAME)}'`
  );
  const row = rows.records[0];
  if (!row) return undefined;
  try {
    const parsed = JSON.parse(row.Description ?? '') as Partial<Holder>;
    return {
      id: row.Id,
      holder: String(parsed.holder ?? '?'),
      expires: String(parsed.expires ?? new Date(0).toISOString()),
      ...(parsed.host ? { host: String(parsed.host) } : {}),
      ...(typeof parsed.pid === 'number' ? { pid: parsed.pid } : {}),
    };
  } catch {
    // Not written by us (someone edited it): treat it as stale so it cannot block every run for ever.
    return { id: row.Id, holder: '?', expires: new Date(0).toISOString() };
  }
}
