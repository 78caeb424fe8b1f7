/*
 * The org's records as SOQL sees them, per API: which objects each API knows, their fields (for
 * INVALID_FIELD) and rows built fresh from the state on every query.
 */
import type { OrgState } from './state.js';
import type { Row } from './soql.js';

export type Table = { fields: string[]; rows: () => Row[] };

export function restTables(state: OrgState): Record<string, Table> {
  const userRow = (id: string): Row | null => {
    const u = state.users.find((x) => x.id === id);
    return u ? { Id: u.id, Username: u.username, Name: u.name, Email: u.email, IsActive: u.isActive } : null;
  };
  return {
    Organization: {
      fields: ['Id', 'Name', 'InstanceName', 'IsSandbox', 'TrialExpirationDate', 'NamespacePrefix', 'OrganizationType'],
      rows: () => [
        {
          Id: state.orgId,
          Name: state.orgName,
          InstanceName: 'SIM1',
          IsSandbox: state.orgType !== 'production',
          TrialExpirationDate: state.orgType === 'scratch' ? '2030-01-01T00:00:00.000+0000' : null,
          NamespacePrefix: null,
          OrganizationType: state.orgType === 'scratch' ? 'Developer Edition' : 'Enterprise Edition',
        },
      ],
    },
    User: {
      fields: ['Id', 'Username', 'Name', 'Email', 'IsActive', 'ProfileId', 'FirstName', 'LastName'],
      rows: () => state.users.map((u) => userRow(u.id)!),
    },
    PermissionSet: {
      fields: ['Id', 'Name', 'Label', 'IsOwnedByProfile', 'NamespacePrefix'],
      rows: () =>
        state.permissionSets.map((p) => ({
          Id: p.id,
          Name: p.name,
          Label: p.label,
          IsOwnedByProfile: p.isOwnedByProfile,
          NamespacePrefix: null,
        })),
    },
    PermissionSetAssignment: {
      fields: ['Id', 'AssigneeId', 'PermissionSetId', 'Assignee', 'PermissionSet'],
      rows: () =>
        state.assignments.map((a) => {
          const ps = state.permissionSets.find((p) => p.id === a.permissionSetId);
          return {
            Id: a.id,
            AssigneeId: a.assigneeId,
            PermissionSetId: a.permissionSetId,
            Assignee: userRow(a.assigneeId),
            PermissionSet: ps ? { Id: ps.id, Name: ps.name, Label: ps.label } : null,
          };
        }),
    },
  };
}

export function toolingTables(state: OrgState): Record<string, Table> {
  return {
    Certificate: {
      fields: ['Id', 'DeveloperName', 'MasterLabel', 'ExpirationDate', 'KeySize', 'CertificateChain', 'OptionsIsPrivateKeyExportable'],
      rows: () =>
        state.certificates.map((c) => ({
          Id: c.id,
          DeveloperName: c.developerName,
          MasterLabel: c.masterLabel,
          ExpirationDate: c.expirationDate,
          KeySize: c.keySize,
          CertificateChain: c.content,
          OptionsIsPrivateKeyExportable: c.privateKeyExportable,
        })),
    },
    NamedCredential: {
      fields: ['Id', 'DeveloperName', 'MasterLabel', 'NamedCredentialType', 'Endpoint', 'NamespacePrefix'],
      rows: () =>
        state.namedCredentials.map((n) => ({
          Id: n.id,
          DeveloperName: n.developerName,
          MasterLabel: n.label,
          NamedCredentialType: n.namedCredentialType,
          Endpoint: n.namedCredentialType === 'Legacy' ? n.url ?? null : null,
          NamespacePrefix: null,
        })),
    },
    ExternalCredential: {
      fields: ['Id', 'DeveloperName', 'MasterLabel', 'AuthenticationProtocol', 'NamespacePrefix'],
      rows: () =>
        state.externalCredentials.map((e) => ({
          Id: e.id,
          DeveloperName: e.developerName,
          MasterLabel: e.label,
          AuthenticationProtocol: e.authenticationProtocol,
          NamespacePrefix: null,
        })),
    },
    InstalledSubscriberPackage: {
      fields: ['Id', 'SubscriberPackageId', 'SubscriberPackage', 'SubscriberPackageVersion', 'SubscriberPackageVersionId'],
      rows: () =>
        state.installedPackages.map((p) => ({
          Id: p.id,
          SubscriberPackageId: `033${p.id.slice(3)}`,
          SubscriberPackageVersionId: `04t${p.id.slice(3)}`,
          SubscriberPackage: { NamespacePrefix: p.namespacePrefix, Name: p.name },
          SubscriberPackageVersion: { Name: p.name, MajorVersion: Number(p.versionNumber.split('.')[0]), MinorVersion: Number(p.versionNumber.split('.')[1] ?? 0), PatchVersion: Number(p.versionNumber.split('.')[2] ?? 0) },
        })),
    },
    // Source tracking's view of the org: only orgs that track source expose SourceMember.
    ...(state.orgType === 'production'
      ? {}
      : {
          SourceMember: {
            fields: ['Id', 'MemberIdOrName', 'MemberType', 'MemberName', 'RevisionCounter', 'IsNameObsolete', 'IsNewMember', 'ChangedBy', 'LastModifiedDate'],
            rows: (): Row[] =>
              state.sourceMembers.map((m) => ({
                Id: m.id,
                MemberIdOrName: m.id,
                IsNewMember: m.revisionCounter === 1,
                LastModifiedDate: new Date().toISOString(),
                MemberType: m.memberType,
                MemberName: m.memberName,
                RevisionCounter: m.revisionCounter,
                IsNameObsolete: m.isNameObsolete,
                ChangedBy: state.adminUserId,
              })),
          },
        }),
  };
}
