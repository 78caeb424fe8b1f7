/*
 * Deleting the certificate a rotation left behind. Salesforce has no Tooling or REST delete for a
 * Certificate (Tooling supports query and retrieve only); it goes as a Metadata API destructive change,
 * which the org refuses while something still uses the certificate (docs/salesforce-metadata.md §6).
 * Before asking, we look ourselves at what we can read: every external credential's signing
 * certificate, every named credential's client certificate, and the Identity Provider's certificate.
 */
import type { Connection } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { identityProviderEnabled } from '../doctor/drift.js';
import { deployMetadataXml } from '../org/deployMetadata.js';
import { orgMessages } from '../org/messages.js';
import { retrieveComponentXml, type ComponentRef } from '../org/retrieveComponents.js';
import { certificateIn } from './repoint.js';

const IDP_PATH = 'settings/IdentityProvider.settings';

/** What in the org still names the certificate ("external credential X", "the Identity Provider"); empty when nothing does. */
export async function certificateUsers(connection: Connection, certificate: string): Promise<string[]> {
  const [ecs, ncs] = await Promise.all(
    (['ExternalCredential', 'NamedCredential'] as const).map(async (type) =>
      (await connection.tooling.query<{ DeveloperName: string }>(`SELECT DeveloperName FROM ${type}`)).records.map((r) => r.DeveloperName)
    )
  );
  const refs: Array<ComponentRef & { kind: 'ExternalCredential' | 'NamedCredential' }> = [
    ...ecs.map((name) => ({ kind: 'ExternalCredential' as const, type: 'ExternalCredential', fullName: name, path: `externalCredentials/${name}.externalCredential` })),
    ...ncs.map((name) => ({ kind: 'NamedCredential' as const, type: 'NamedCredential', fullName: name, path: `namedCredentials/${name}.namedCredential` })),
  ];
  const xml = await retrieveComponentXml(connection, [...refs, { type: 'Settings', fullName: 'IdentityProvider', path: IDP_PATH }]);
  const users = refs
    .filter((ref) => {
      const component = xml.get(ref.path);
      return component !== undefined && certificateIn(ref.kind, component) === certificate;
    })
    .map((ref) => `${ref.kind === 'ExternalCredential' ? 'external credential' : 'named credential'} ${ref.fullName}`);
  const idp = xml.get(IDP_PATH);
  if (idp && identityProviderEnabled(idp).certificateName === certificate) users.push('the Identity Provider');
  return users;
}

/**
 * Deletes the certificate in one destructive deploy (callers check certificateUsers first). The org may
 * still refuse (something we cannot read uses it): then `refused` is what it said.
 */
export async function deleteCertificate(
  connection: Connection,
  certificate: string,
  wait?: Duration
): Promise<{ deployId: string; refused?: string }> {
  const finished = await deployMetadataXml(connection, { upserts: [], deletes: [{ type: 'Certificate', fullName: certificate }], wait });
  if (finished.kind === 'timed-out') throw orgMessages.createError('error.DeleteInProgress', [certificate, finished.id, finished.id]);
  const { response } = finished.result;
  if (response.success) return { deployId: response.id };
  const problems = [response.details?.componentFailures ?? []].flat().map((f) => f.problem ?? '').filter(Boolean);
  return { deployId: response.id, refused: problems.join('; ') || (response.errorMessage ?? String(response.status)) };
}
