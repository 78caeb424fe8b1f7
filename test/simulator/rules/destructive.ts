/*
 * destructiveChanges(.xml|Pre.xml|Post.xml) in a deploy: the components to delete, the refusals a
 * real org gives, and the deletion itself. Deletion order inside one deploy does not matter here:
 * references are checked against what the whole deploy leaves behind, as Salesforce does.
 */
import { XMLParser } from 'fast-xml-parser';
import type { OrgState } from '../org/state.js';
import { inferredMessages } from './inferred.js';

export type Deletion = { type: string; fullName: string; problems: string[] };

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => ['types', 'members'].includes(name) });

const MANIFESTS = /^(destructiveChanges|destructiveChangesPre|destructiveChangesPost)\.xml$/;

export function deletionsOf(files: Record<string, Buffer>): Deletion[] {
  return Object.entries(files)
    .filter(([path]) => MANIFESTS.test(path))
    .flatMap(([, xml]) => {
      const doc = parser.parse(xml.toString('utf8')) as { Package?: { types?: Array<{ name: string; members?: string[] }> } };
      return (doc.Package?.types ?? []).flatMap((t) => (t.members ?? []).map((fullName) => ({ type: t.name, fullName, problems: [] })));
    });
}

/** Refusals a real org gives (wording [inferred], in inferred.ts): missing component, credential still referenced, permission set still assigned. */
export function checkDeletions(deletions: Deletion[], state: OrgState): void {
  const deleting = (type: string, name?: string): boolean => deletions.some((d) => d.type === type && d.fullName === name);
  for (const d of deletions) {
    if (!exists(state, d)) {
      d.problems.push(inferredMessages.deleteMissing(d.type, d.fullName));
    } else if (d.type === 'ExternalCredential') {
      const users = state.namedCredentials.filter((n) => n.externalCredential === d.fullName && !deleting('NamedCredential', n.developerName));
      if (users.length) d.problems.push(inferredMessages.deleteReferencedByNamedCredential(users[0].developerName));
      const prefix = `${d.fullName}-`;
      const grants = state.permissionSets.filter(
        (p) => p.principalAccesses.some((a) => a.startsWith(prefix)) && !deleting('PermissionSet', p.name)
      );
      if (grants.length) d.problems.push(inferredMessages.deleteReferencedByPermissionSet(grants[0].name));
    } else if (d.type === 'Certificate') {
      const user = certificateUser(state, d.fullName, deleting);
      if (user) d.problems.push(inferredMessages.deleteCertificateInUse(user));
    } else if (d.type === 'PermissionSet') {
      const ps = state.permissionSets.find((p) => p.name === d.fullName)!;
      if (state.assignments.some((a) => a.permissionSetId === ps.id)) {
        d.problems.push(inferredMessages.deleteAssignedPermissionSet());
      }
    }
  }
}

export function applyDeletion(state: OrgState, d: Deletion): void {
  const remove = <T>(list: T[], match: (x: T) => boolean): void => {
    for (let i = list.length - 1; i >= 0; i--) if (match(list[i])) list.splice(i, 1);
  };
  if (d.type === 'ExternalCredential') {
    remove(state.externalCredentials, (e) => e.developerName === d.fullName);
    // Principal credentials live on the external credential and go with it.
    remove(state.principalCredentials, (c) => c.externalCredential === d.fullName);
  }
  if (d.type === 'NamedCredential') remove(state.namedCredentials, (n) => n.developerName === d.fullName);
  if (d.type === 'PermissionSet') remove(state.permissionSets, (p) => p.name === d.fullName);
  if (d.type === 'Certificate') state.removeCertificate(d.fullName);
  state.components.delete(`${d.type}:${d.fullName}`);
  state.touchSourceMember(d.type, d.fullName, true);
}

/**
 * What in the org still uses a certificate (docs/salesforce-metadata.md §6): an external credential's
 * SigningCertificate, a named credential's ClientCertificate, the Identity Provider. Referrers the same
 * deploy deletes do not count.
 */
function certificateUser(state: OrgState, name: string, deleting: (type: string, name?: string) => boolean): string | undefined {
  const ec = state.externalCredentials.find(
    (e) => !deleting('ExternalCredential', e.developerName) &&
      e.parameters.some((p) => p.parameterType === 'SigningCertificate' && (p.certificate ?? p.parameterValue) === name)
  );
  if (ec) return `external credential ${ec.developerName}`;
  const nc = state.namedCredentials.find((n) => !deleting('NamedCredential', n.developerName) && n.clientCertificate === name);
  if (nc) return `named credential ${nc.developerName}`;
  if (state.identityProvider.certificateName === name) return 'the Identity Provider';
  return undefined;
}

function exists(state: OrgState, d: Deletion): boolean {
  if (d.type === 'Certificate') return Boolean(state.certificate(d.fullName));
  if (d.type === 'ExternalCredential') return Boolean(state.externalCredential(d.fullName));
  if (d.type === 'NamedCredential') return Boolean(state.namedCredential(d.fullName));
  if (d.type === 'PermissionSet') return state.permissionSets.some((p) => p.name === d.fullName);
  return state.components.has(`${d.type}:${d.fullName}`);
}
