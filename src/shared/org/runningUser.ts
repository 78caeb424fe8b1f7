import type { Connection, Org } from '@salesforce/core';

/** Who the command runs as: the org's username, else the connection's (an access-token login has no Org username). */
export function runningUsername(org: Pick<Org, 'getUsername'>, connection: Pick<Connection, 'getUsername'>): string {
  return org.getUsername() ?? connection.getUsername() ?? '';
}
