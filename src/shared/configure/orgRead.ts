/*
 * What the org holds for everything configure manages, read before anything changes: the checks
 * (API version, Legacy named credential, signing certificate; three Tooling queries), the three
 * components as the org holds them (one Metadata-format retrieve), the principal's role ARN (one
 * Connect GET) and who holds the permission set (one SOQL query). All reads: safe to repeat.
 */
import type { Connection } from '@salesforce/core';
import { type ComponentRef, type OrgComponent, retrieveComponents } from '../org/deployMetadata.js';
import { getPrincipalCredential, type PrincipalCredentialState } from '../org/principalCredential.js';
import { type PreflightResult, runPreflightChecks } from '../org/preflightChecks.js';
import { soqlString } from '../org/soql.js';
import type { OrgNames } from '../org/types.js';
import { withRetry } from '../org/retry.js';

export type OrgReading = {
  checks: PreflightResult;
  components: OrgComponent[];
  roleArn: PrincipalCredentialState;
  /** Usernames (as the run names them) that hold the permission set. */
  assigned: string[];
};

export function managedComponents(names: OrgNames): ComponentRef[] {
  return [
    { type: 'ExternalCredential', fullName: names.externalCredential },
    { type: 'NamedCredential', fullName: names.namedCredential },
    { type: 'PermissionSet', fullName: names.permissionSet },
  ];
}

export async function readOrg(
  connection: Connection,
  names: OrgNames,
  usernames: string[],
  options: { certificateMadeByRun?: boolean } = {}
): Promise<OrgReading> {
  // The checks come first: a Legacy credential or a missing certificate stops the run before more reads.
  const checks = await runPreflightChecks(connection, { names, ...options });
  const [components, roleArn, assigned] = await Promise.all([
    retrieveComponents(connection, managedComponents(names)),
    checks.existing.externalCredential
      ? getPrincipalCredential(connection, { externalCredential: names.externalCredential, principalName: names.principal })
      : Promise.resolve<PrincipalCredentialState>({ exists: false }),
    assignedUsers(connection, names.permissionSet, usernames),
  ]);
  return { checks, components, roleArn, assigned };
}

/** Which of the usernames hold the permission set (usernames are case-insensitive in Salesforce). */
export async function assignedUsers(connection: Connection, permissionSet: string, usernames: string[]): Promise<string[]> {
  if (usernames.length === 0) return [];
  const list = usernames.map((u) => `'${soqlString(u)}'`).join(', ');
  const rows = await withRetry(async () =>
    connection.query<{ Id: string; Assignee: { Username: string } }>(
      `SELECT Id, Assignee.Username FROM PermissionSetAssignment WHERE PermissionSet.Name = '${soqlString(permissionSet)}' AND Assignee.Username IN (${list})`
    )
  );
  const held = new Set(rows.records.map((r) => r.Assignee.Username.toLowerCase()));
  return usernames.filter((u) => held.has(u.toLowerCase()));
}
