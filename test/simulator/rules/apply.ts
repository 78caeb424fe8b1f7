/*
 * Writes deployed components into the org state (only after every rule passed, or per component when
 * rollbackOnError is false), and remembers them for retrieve and source tracking.
 */
import type { OrgState, NamedCredentialType } from '../org/state.js';
import {
  type DeployComponent,
  externalCredentialParameters,
  namedCredentialParameters,
  principalAccesses,
  text,
} from './components.js';
import { firstCertificate, generateCsr, generateSelfSigned, holdsCertificate } from './csr.js';
import { keepsPendingCsr } from './inferred.js';

export function applyComponent(state: OrgState, c: DeployComponent): { id: string; created: boolean } {
  const applied = APPLY[c.type === 'Settings' ? `${c.fullName}Settings` : c.type]?.(state, c) ?? {
    id: state.newId('SourceMember'),
    created: !state.components.has(`${c.type}:${c.fullName}`),
  };
  state.storeComponent(c.type, c.fullName, c.files);
  state.touchSourceMember(c.type, c.fullName);
  return applied;
}

function upsert<T extends { id: string }>(list: T[], match: (x: T) => boolean, make: (id?: string) => T, newId: () => string): { id: string; created: boolean } {
  const index = list.findIndex(match);
  if (index >= 0) {
    list[index] = make(list[index].id);
    return { id: list[index].id, created: false };
  }
  const record = make(newId());
  list.push(record);
  return { id: record.id, created: true };
}

type Apply = (state: OrgState, c: DeployComponent) => { id: string; created: boolean };

const APPLY: Record<string, Apply> = {
  ExternalCredential: (state, c) =>
    upsert(
      state.externalCredentials,
      (e) => e.developerName === c.fullName,
      (id) => ({
        id: id!,
        developerName: c.fullName,
        label: text(c.xml, 'label') ?? c.fullName,
        authenticationProtocol: text(c.xml, 'authenticationProtocol') ?? '',
        parameters: externalCredentialParameters(c.xml),
      }),
      () => state.newId('ExternalCredential')
    ),

  NamedCredential: (state, c) => {
    const params = namedCredentialParameters(c.xml);
    return upsert(
      state.namedCredentials,
      (n) => n.developerName === c.fullName,
      (id) => ({
        id: id!,
        developerName: c.fullName,
        label: text(c.xml, 'label') ?? c.fullName,
        namedCredentialType: (text(c.xml, 'namedCredentialType') ?? 'Legacy') as NamedCredentialType,
        url: params.find((p) => p.parameterType === 'Url')?.parameterValue ?? text(c.xml, 'endpoint'),
        externalCredential: params.find((p) => p.parameterType === 'Authentication')?.externalCredential,
        clientCertificate: params.find((p) => p.parameterType === 'ClientCertificate')?.certificate,
        calloutStatus: text(c.xml, 'calloutStatus') === 'Disabled' ? ('Disabled' as const) : ('Enabled' as const),
        allowedNamespaces: params
          .filter((p) => p.parameterType === 'AllowedManagedPackageNamespaces')
          .flatMap((p) => (p.parameterValue ?? '').split(','))
          .map((ns) => ns.trim())
          .filter(Boolean),
        generateAuthorizationHeader: text(c.xml, 'generateAuthorizationHeader') !== 'false',
      }),
      () => state.newId('NamedCredential')
    );
  },

  PermissionSet: (state, c) =>
    upsert(
      state.permissionSets,
      (p) => p.name === c.fullName,
      (id) => ({
        id: id!,
        name: c.fullName,
        label: text(c.xml, 'label') ?? c.fullName,
        principalAccesses: principalAccesses(c.xml)
          .filter((a) => a.enabled)
          .map((a) => a.principal),
        isOwnedByProfile: false,
      }),
      () => state.newId('PermissionSet')
    ),

  Certificate: (state, c) => {
    const crt = Object.entries(c.files).find(([path]) => !path.endsWith('-meta.xml'))?.[1]?.toString('utf8') ?? '';
    const caSigned = text(c.xml, 'caSigned') === 'true';
    const keySize = Number(text(c.xml, 'keySize') ?? 2048);
    const masterLabel = text(c.xml, 'masterLabel') ?? c.fullName;
    const existing = state.certificate(c.fullName);
    // rules.ts already refused a chain whose leaf does not match the key the org holds (inferred.ts).
    const signedChain = caSigned && holdsCertificate(crt);
    // [doc] a deployed certificate always gets a new key pair made by the org (docs/salesforce-metadata.md §6): an imported
    // keystore key is replaced. A CA-signed one holds a real CSR until its signed chain is deployed; a
    // redeploy of a still-pending CSR with the placeholder keeps it [inferred] (keepsPendingCsr).
    let content: string;
    if (signedChain) {
      content = crt;
    } else if (caSigned && keepsPendingCsr(existing, keySize)) {
      content = existing!.content;
    } else if (caSigned) {
      const generated = generateCsr(keySize, masterLabel);
      state.setCertificateKeyPair(c.fullName, generated.keyPair);
      content = generated.csrPem;
    } else {
      const generated = generateSelfSigned(keySize, masterLabel);
      state.setCertificateKeyPair(c.fullName, generated.keyPair);
      content = generated.certificatePem;
    }
    const expirationDate = (signedChain ? firstCertificate(crt)?.validToDate.toISOString() : undefined) ?? text(c.xml, 'expirationDate') ?? '2027-01-01T00:00:00.000Z';
    const result = upsert(
      state.certificates,
      (x) => x.developerName === c.fullName,
      (id) => ({
        id: id!,
        developerName: c.fullName,
        masterLabel,
        expirationDate,
        keySize,
        caSigned,
        privateKeyExportable: text(c.xml, 'privateKeyExportable') !== 'false',
        origin: 'metadata' as const,
        content,
      }),
      () => state.newId('Certificate')
    );
    c.files = { ...c.files, [`certs/${c.fullName}.crt`]: Buffer.from(content) };
    return result;
  },

  IdentityProviderSettings: (state, c) => {
    state.identityProvider = {
      enabled: text(c.xml, 'enableIdentityProvider') === 'true',
      certificateName: text(c.xml, 'certificateName'),
    };
    return { id: state.newId('SourceMember'), created: false };
  },
};
