/*
 * `UserPermissionAccess` [doc]: the running user's effective permissions, one row, for the token's
 * user (the simulator has one running user). Permissions not modelled on the user default to granted.
 */
import type { OrgState } from './state.js';
import type { Table } from './tables.js';

export function userPermissionAccessTable(state: OrgState): Table {
  return {
    fields: ['Id', 'PermissionsCustomizeApplication', 'PermissionsAuthorApex', 'PermissionsManageNamedCredentials', 'PermissionsViewSetup'],
    rows: () => {
      const user = state.adminUser;
      return [
        {
          Id: null,
          PermissionsCustomizeApplication: user.customizeApplication,
          PermissionsAuthorApex: user.authorApex ?? true,
          PermissionsManageNamedCredentials: user.manageNamedCredentials ?? true,
          PermissionsViewSetup: user.viewSetup ?? true,
        },
      ];
    },
  };
}
