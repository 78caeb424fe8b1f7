/*
 * Grants the principal: assigns the permission set to the running user and any extra users. Users
 * who already hold it are left alone (no duplicate PermissionSetAssignment on re-run); per-user
 * failures are collected, not thrown one by one, so the caller reports them all (plugin-org agent-user habit).
 */
import type { Connection } from '@salesforce/core';
import { orgMessages } from './messages.js';
import { errorText, isSessionExpired } from './orgErrors.js';
import { soqlString } from './soql.js';

export type AssignmentRequest = {
  permissionSet: string;
  /** Usernames; the running user is normally the first. Duplicates are ignored. */
  usernames: string[];
};

export type UserAssignment = { username: string; userId: string; assignmentId: string };

export type AssignmentResult = {
  permissionSet: string;
  permissionSetId: string;
  /** Assignments created by this run (what an undo removes). */
  created: UserAssignment[];
  /** Users who already held the permission set. */
  alreadyAssigned: UserAssignment[];
  errors: Array<{ username: string; error: string }>;
};

type Row = { Id: string };

export async function assignPermissionSet(connection: Connection, request: AssignmentRequest): Promise<AssignmentResult> {
  const usernames = [...new Set(request.usernames)];
  const permissionSetId = await findPermissionSetId(connection, request.permissionSet);
  const users = await findUsers(connection, usernames);
  const existing = await findAssignments(connection, permissionSetId, [...users.values()]);
  const result: AssignmentResult = {
    permissionSet: request.permissionSet,
    permissionSetId,
    created: [],
    alreadyAssigned: [],
    errors: [],
  };
  for (const username of usernames) {
    const userId = users.get(username);
    if (!userId) {
      result.errors.push({ username, error: orgMessages.getMessage('error.UserNotFound', [username]) });
      continue;
    }
    const assignmentId = existing.get(userId);
    if (assignmentId) {
      result.alreadyAssigned.push({ username, userId, assignmentId });
      continue;
    }
    try {
      // One insert per user keeps per-user errors apart; the lists here are a handful of users.
      // eslint-disable-next-line no-await-in-loop
      const saved = await connection.sobject('PermissionSetAssignment').create({ PermissionSetId: permissionSetId, AssigneeId: userId });
      if (saved.success) {
        result.created.push({ username, userId, assignmentId: saved.id });
      } else {
        result.errors.push({ username, error: saved.errors.map((e) => (typeof e === 'string' ? e : e.message)).join(', ') });
      }
    } catch (error) {
      if (isSessionExpired(error)) throw error;
      result.errors.push({ username, error: errorText(error) });
    }
  }
  return result;
}

/** Throws AssignmentFailed naming every user that could not be assigned. */
export function assertAllAssigned(result: AssignmentResult): void {
  if (result.errors.length === 0) return;
  const list = result.errors.map((e) => `${e.username} (${e.error})`).join('; ');
  const error = orgMessages.createError('error.AssignmentFailed', [result.permissionSet, list], [result.permissionSet]);
  error.setData(result);
  throw error;
}

/** Removes the assignments this run created. */
export async function undoAssignments(connection: Connection, result: Pick<AssignmentResult, 'created'>): Promise<void> {
  // One DELETE per record: the composite collection endpoint is not needed for a handful of users.
  for (const { assignmentId } of result.created) {
    // eslint-disable-next-line no-await-in-loop
    await connection.sobject('PermissionSetAssignment').destroy(assignmentId);
  }
}

async function findPermissionSetId(connection: Connection, name: string): Promise<string> {
  const rows = await connection.query<Row>(`SELECT Id FROM PermissionSet WHERE Name = '${soqlString(name)}'`);
  const id = rows.records[0]?.Id;
  if (!id) throw orgMessages.createError('error.PermissionSetNotFound', [name]);
  return id;
}

async function findUsers(connection: Connection, usernames: string[]): Promise<Map<string, string>> {
  if (usernames.length === 0) return new Map();
  const list = usernames.map((u) => `'${soqlString(u)}'`).join(', ');
  const rows = await connection.query<Row & { Username: string; IsActive?: boolean }>(
    `SELECT Id, Username, IsActive FROM User WHERE Username IN (${list})`
  );
  // Usernames are case-insensitive in Salesforce; inactive users cannot hold assignments.
  const active = rows.records.filter((r) => r.IsActive !== false);
  const byLower = new Map(active.map((r) => [r.Username.toLowerCase(), r.Id]));
  return new Map(usernames.flatMap((u) => (byLower.has(u.toLowerCase()) ? [[u, byLower.get(u.toLowerCase())!]] : [])));
}

async function findAssignments(connection: Connection, permissionSetId: string, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const list = userIds.map((id) => `'${soqlString(id)}'`).join(', ');
  const rows = await connection.query<Row & { AssigneeId: string }>(
    `SELECT Id, AssigneeId FROM PermissionSetAssignment WHERE PermissionSetId = '${soqlString(permissionSetId)}' AND AssigneeId IN (${list})`
  );
  return new Map(rows.records.map((r) => [r.AssigneeId, r.Id]));
}
