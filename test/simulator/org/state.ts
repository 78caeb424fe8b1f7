import { type KeyObject, X509Certificate } from 'node:crypto';
import type { OrgKeyPair } from '../rules/csr.js';
import { keystoreImportMessages } from '../rules/inferred.js';
import type { AwsHostMap } from '../callout/awsHosts.js';
import { importKeystore, KeystoreImportError } from './keystore.js';

/*
 * The simulated org's data. Plain, typed and mutable, so a test can seed it before a run and read it after.
 * Everything an HTTP handler answers comes from here; nothing is hard-wired in the handlers.
 */

export type OrgType = 'production' | 'sandbox' | 'scratch';

export type CertificateRecord = {
  id: string;
  developerName: string;
  masterLabel: string;
  expirationDate: string;
  keySize: number;
  caSigned: boolean;
  privateKeyExportable: boolean;
  /** 'keystore' = imported by an admin in Setup; 'metadata' = created by a deploy (the org made its own key). */
  origin: 'keystore' | 'metadata';
  /** PEM shown to a retrieve: the chain for imported certs, the CSR of a fresh CA-signed one, then its signed chain. */
  content: string;
};

export type ExternalCredentialParameter = {
  parameterName: string;
  parameterType: string;
  parameterValue?: string;
  parameterGroup?: string;
  sequenceNumber?: number;
  certificate?: string;
};

export type ExternalCredentialRecord = {
  id: string;
  developerName: string;
  label: string;
  authenticationProtocol: string;
  parameters: ExternalCredentialParameter[];
};

export type NamedCredentialType = 'SecuredEndpoint' | 'Legacy' | 'PrivateEndpoint';

export type NamedCredentialRecord = {
  id: string;
  developerName: string;
  label: string;
  namedCredentialType: NamedCredentialType;
  url?: string;
  externalCredential?: string;
  clientCertificate?: string;
  calloutStatus: 'Enabled' | 'Disabled';
  allowedNamespaces: string[];
  generateAuthorizationHeader: boolean;
};

export type PermissionSetRecord = {
  id: string;
  name: string;
  label: string;
  /** Enabled `externalCredentialPrincipalAccesses` values, `<ExternalCredential>-<Principal>`. */
  principalAccesses: string[];
  isOwnedByProfile: boolean;
  /** Description field (≤ 255 characters [doc]); plugin-iamra's configure lease keeps its holder here. */
  description?: string;
};

export type PermissionSetAssignmentRecord = { id: string; assigneeId: string; permissionSetId: string };

export type UserRecord = {
  id: string;
  username: string;
  name: string;
  email: string;
  isActive: boolean;
  /** Customize Application: needed by anonymous Apex that makes a named-credential callout (docs/salesforce-metadata.md §12). */
  customizeApplication: boolean;
  /** UserPermissionAccess (userPermissions.ts); undefined = granted. */
  authorApex?: boolean;
  manageNamedCredentials?: boolean;
  viewSetup?: boolean;
};

/** A principal's credentials as Connect REST stores them (docs/salesforce-metadata.md §9). */
export type PrincipalCredentialRecord = {
  externalCredential: string;
  principalName: string;
  principalType: 'NamedPrincipal' | 'PerUserPrincipal' | 'AwsStsPrincipal';
  authenticationProtocol: string;
  authenticationProtocolVariant?: string;
  credentials: Record<string, { value: string; encrypted: boolean }>;
};

export type InstalledPackageRecord = { id: string; namespacePrefix: string; name: string; versionNumber: string };

/** What the simulated AWS side says about a Roles Anywhere session; tests flip these to reach each failure. */
export type AwsBehaviour = {
  /**
   * Fault knob: when set, the callout runs the whole chain (CreateSession, signing, the AWS endpoint) and
   * then answers 403 with this AWS error code instead of the endpoint's answer (e.g. 'AccessDenied').
   */
  rejectRole?: 'AccessDenied' | 'InvalidClientTokenId' | 'SignatureDoesNotMatch' | 'ExpiredToken';
  /** Message in the AWS error body; a default per code otherwise. */
  rejectMessage?: string;
  /** Kept for compatibility; the assumed-role session name is what Roles Anywhere issued (the certificate serial). */
  sessionName: string;
  /** Where the org's network sends each AWS hostname (callout/awsHosts.ts); unset = AWS hosts do not resolve. */
  hosts?: AwsHostMap;
};

/** The private key the org holds for a certificate and its chain, leaf first: what signs CreateSession. */
export type SigningKey = { privateKey: KeyObject; chain: X509Certificate[] };

export type SourceMemberRecord = {
  id: string;
  memberType: string;
  memberName: string;
  revisionCounter: number;
  isNameObsolete: boolean;
};

/** A metadata component as the org would hand it back in a retrieve (Metadata API format). */
export type StoredComponent = { type: string; fullName: string; files: Record<string, Buffer> };

export type OrgStateOptions = {
  orgType?: OrgType;
  apiVersion?: string;
  username?: string;
};

const KEY_PREFIX = {
  Certificate: '0P1',
  NamedCredential: '0XA',
  ExternalCredential: '0pt',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  User: '005',
  InstalledSubscriberPackage: '0A3',
  SourceMember: '0MZ',
  DeployRequest: '0Af',
  RetrieveRequest: '09S',
} as const;

export type KeyPrefixName = keyof typeof KEY_PREFIX;

let instances = 0;

export class OrgState {
  public readonly orgType: OrgType;
  public readonly apiVersion: string;
  /** Unique per simulator: sf keys auth files by username and source tracking by org id. */
  public readonly orgId: string;
  public readonly orgName = 'Simulated Org';
  public readonly certificates: CertificateRecord[] = [];
  public readonly externalCredentials: ExternalCredentialRecord[] = [];
  public readonly namedCredentials: NamedCredentialRecord[] = [];
  public readonly permissionSets: PermissionSetRecord[] = [];
  public readonly assignments: PermissionSetAssignmentRecord[] = [];
  public readonly users: UserRecord[] = [];
  public readonly principalCredentials: PrincipalCredentialRecord[] = [];
  public readonly installedPackages: InstalledPackageRecord[] = [];
  public readonly sourceMembers: SourceMemberRecord[] = [];
  /** Retrievable components by `Type:fullName`. */
  public readonly components = new Map<string, StoredComponent>();
  public identityProvider: { enabled: boolean; certificateName?: string } = { enabled: false };
  public aws: AwsBehaviour = { sessionName: 'salesforce-session' };
  /** The user the access token belongs to. */
  public readonly adminUserId: string;
  private counter = 0;
  private revision = 0;
  /** Key pairs the org generated for deployed certificates, by DeveloperName; they never leave the org. */
  private readonly keyPairs = new Map<string, OrgKeyPair>();
  /** Keys imported from a keystore, by DeveloperName; they never leave the org either. */
  private readonly importedKeys = new Map<string, SigningKey>();

  public constructor(options: OrgStateOptions = {}) {
    this.orgType = options.orgType ?? 'production';
    this.apiVersion = options.apiVersion ?? '62.0';
    instances += 1;
    const unique = `${(process.pid % 1296).toString(36)}${instances.toString(36)}`.toUpperCase().padStart(6, '0').slice(-6);
    this.orgId = `00D5g0000${unique}EAW`;
    this.adminUserId = this.addUser(options.username ?? `admin.${unique.toLowerCase()}@iamra-sim.example.com`).id;
  }

  public get adminUser(): UserRecord {
    return this.users.find((u) => u.id === this.adminUserId)!;
  }

  /** A fresh 18-character Salesforce-looking id with the object's key prefix. */
  public newId(kind: KeyPrefixName): string {
    this.counter += 1;
    return `${KEY_PREFIX[kind]}5g${String(this.counter).padStart(10, '0')}AAA`;
  }

  // ---- seed helpers: what an admin (or an older setup) did in Setup ----

  /** What "Import from Keystore" in Setup leaves behind: a certificate whose DeveloperName is the alias, lower case. */
  public importCertificate(
    alias: string,
    options: { expirationDate?: string; keySize?: number; content?: string } = {}
  ): CertificateRecord {
    const developerName = alias.toLowerCase();
    const existing = this.certificates.findIndex((c) => c.developerName === developerName);
    if (existing >= 0) this.certificates.splice(existing, 1);
    this.keyPairs.delete(developerName); // the imported key replaces any the org generated
    this.importedKeys.delete(developerName); // a seed without keystore bytes holds no key
    const cert: CertificateRecord = {
      id: this.newId('Certificate'),
      developerName,
      masterLabel: developerName,
      expirationDate: options.expirationDate ?? '2030-01-01T00:00:00.000Z',
      keySize: options.keySize ?? 2048,
      caSigned: true,
      privateKeyExportable: false,
      origin: 'keystore',
      content: options.content ?? '-----BEGIN CERTIFICATE-----\nU0lNVUxBVEVE\n-----END CERTIFICATE-----\n',
    };
    this.certificates.push(cert);
    this.storeComponent('Certificate', developerName, {
      [`certs/${developerName}.crt`]: Buffer.from(cert.content),
      [`certs/${developerName}.crt-meta.xml`]: Buffer.from(certificateMetaXml(cert)),
    });
    return cert;
  }

  /** A deleted certificate takes its key with it (Setup's Delete, or a destructive deploy). */
  public removeCertificate(developerName: string): void {
    const index = this.certificates.findIndex((c) => c.developerName === developerName);
    if (index >= 0) this.certificates.splice(index, 1);
    this.keyPairs.delete(developerName);
    this.importedKeys.delete(developerName);
  }

  /**
   * "Import from Keystore" with the bytes and password an admin uploads: Salesforce's import rules
   * (org/keystore.ts), then a certificate named by the alias in lower case that holds the key and chain.
   * Throws KeystoreImportError with Setup's message when the import is refused.
   */
  public importKeystore(bytes: Buffer, password: string): CertificateRecord {
    if (!this.identityProvider.enabled) throw new KeystoreImportError(keystoreImportMessages.identityProviderOff());
    const imported = importKeystore(bytes, password);
    const [leaf] = imported.chain;
    const content = imported.chain.map((c) => c.toString()).join('');
    const cert = this.importCertificate(imported.developerName, {
      content,
      keySize: imported.privateKey.asymmetricKeyDetails?.modulusLength,
      expirationDate: new Date(leaf.validTo).toISOString(),
    });
    this.importedKeys.set(cert.developerName, { privateKey: imported.privateKey, chain: imported.chain });
    return cert;
  }

  /**
   * The key a callout signs with: an imported keystore's, or the key the org generated (CSR mode, self-signed)
   * with the certificate chain it belongs to. undefined when the org holds no key, or no certificate for it yet.
   */
  public signingKey(developerName: string): SigningKey | undefined {
    const imported = this.importedKeys.get(developerName);
    if (imported) return imported;
    const generated = this.keyPairs.get(developerName);
    const cert = this.certificate(developerName);
    if (!generated || !cert) return undefined;
    const chain = (cert.content.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).flatMap((pem) => {
      try {
        return [new X509Certificate(pem)];
      } catch {
        return [];
      }
    });
    return chain.length > 0 && chain[0].checkPrivateKey(generated.privateKey) ? { privateKey: generated.privateKey, chain } : undefined;
  }

  /** The older AWS instructions' Legacy named credential (access-key principal) of the same name (docs/salesforce-metadata.md §13). */
  public addLegacyNamedCredential(developerName: string, url = 'https://s3.us-west-2.amazonaws.com'): NamedCredentialRecord {
    const record: NamedCredentialRecord = {
      id: this.newId('NamedCredential'),
      developerName,
      label: developerName.replace(/_/g, ' '),
      namedCredentialType: 'Legacy',
      url,
      calloutStatus: 'Enabled',
      allowedNamespaces: [],
      generateAuthorizationHeader: true,
    };
    this.namedCredentials.push(record);
    return record;
  }

  public addUser(username: string, options: Partial<Omit<UserRecord, 'id' | 'username'>> = {}): UserRecord {
    const user: UserRecord = {
      id: this.newId('User'),
      username,
      name: options.name ?? username.split('@')[0],
      email: options.email ?? username,
      isActive: options.isActive ?? true,
      customizeApplication: options.customizeApplication ?? true,
      ...(options.authorApex === undefined ? {} : { authorApex: options.authorApex }),
      ...(options.manageNamedCredentials === undefined ? {} : { manageNamedCredentials: options.manageNamedCredentials }),
      ...(options.viewSetup === undefined ? {} : { viewSetup: options.viewSetup }),
    };
    this.users.push(user);
    return user;
  }

  public installPackage(namespacePrefix: string, name = 'AWS Partner CRM Connector', versionNumber = '2.1.0'): InstalledPackageRecord {
    const record = { id: this.newId('InstalledSubscriberPackage'), namespacePrefix, name, versionNumber };
    this.installedPackages.push(record);
    return record;
  }

  /** Give a principal its role ARN directly, as an admin would on the principal's edit page. */
  public setPrincipalRoleArn(externalCredential: string, principalName: string, roleArn: string): void {
    const existing = this.principalCredential(externalCredential, principalName);
    if (existing) {
      existing.credentials.awsRoleArn = { value: roleArn, encrypted: false };
      return;
    }
    this.principalCredentials.push({
      externalCredential,
      principalName,
      principalType: 'NamedPrincipal',
      authenticationProtocol: 'AwsSv4',
      authenticationProtocolVariant: 'RolesAnywhere',
      credentials: { awsRoleArn: { value: roleArn, encrypted: false } },
    });
  }

  public assignPermissionSet(username: string, permissionSetName: string): PermissionSetAssignmentRecord {
    const user = this.userByName(username);
    const ps = this.permissionSets.find((p) => p.name === permissionSetName);
    if (!user || !ps) throw new Error(`no user ${username} or permission set ${permissionSetName} in the simulated org`);
    const assignment = { id: this.newId('PermissionSetAssignment'), assigneeId: user.id, permissionSetId: ps.id };
    this.assignments.push(assignment);
    return assignment;
  }

  // ---- lookups ----

  public userByName(username: string): UserRecord | undefined {
    return this.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
  }

  public certificate(developerName: string): CertificateRecord | undefined {
    return this.certificates.find((c) => c.developerName === developerName);
  }

  public externalCredential(developerName: string): ExternalCredentialRecord | undefined {
    return this.externalCredentials.find((e) => e.developerName === developerName);
  }

  public namedCredential(developerName: string): NamedCredentialRecord | undefined {
    return this.namedCredentials.find((n) => n.developerName === developerName);
  }

  public principalCredential(externalCredential: string, principalName: string): PrincipalCredentialRecord | undefined {
    return this.principalCredentials.find(
      (p) => p.externalCredential === externalCredential && p.principalName === principalName
    );
  }

  /** Principal names (NamedPrincipal parameters) an external credential in the org declares. */
  public principalsOf(externalCredential: string): string[] {
    return (this.externalCredential(externalCredential)?.parameters ?? [])
      .filter((p) => p.parameterType === 'NamedPrincipal')
      .map((p) => p.parameterName);
  }

  /** Principal-access strings granted to a user through all of their permission sets. */
  public principalAccessesOf(userId: string): string[] {
    const granted = this.assignments.filter((a) => a.assigneeId === userId).map((a) => a.permissionSetId);
    return this.permissionSets.filter((p) => granted.includes(p.id)).flatMap((p) => p.principalAccesses);
  }

  /**
   * The public key the org holds for a certificate: the one it generated (deployed certificates), or
   * the imported certificate's when an import was seeded with real PEM content.
   */
  public certificatePublicKey(developerName: string): KeyObject | undefined {
    const generated = this.keyPairs.get(developerName);
    if (generated) return generated.publicKey;
    const cert = this.certificate(developerName);
    if (cert?.origin !== 'keystore') return undefined;
    try {
      return new X509Certificate(cert.content).publicKey;
    } catch {
      return undefined;
    }
  }

  // ---- bookkeeping used by the handlers ----

  /** A deploy made the org generate a key pair for this certificate (replacing any earlier one). */
  public setCertificateKeyPair(developerName: string, keyPair: OrgKeyPair | undefined): void {
    this.importedKeys.delete(developerName);
    if (keyPair) this.keyPairs.set(developerName, keyPair);
    else this.keyPairs.delete(developerName);
  }

  public storeComponent(type: string, fullName: string, files: Record<string, Buffer>): void {
    this.components.set(`${type}:${fullName}`, { type, fullName, files });
  }

  /** Source tracking: each applied component bumps the org's revision counter, as SourceMember does. */
  public touchSourceMember(memberType: string, memberName: string, isNameObsolete = false): void {
    this.revision += 1;
    const existing = this.sourceMembers.find((m) => m.memberType === memberType && m.memberName === memberName);
    if (existing) {
      existing.revisionCounter = this.revision;
      existing.isNameObsolete = isNameObsolete;
      return;
    }
    this.sourceMembers.push({
      id: this.newId('SourceMember'),
      memberType,
      memberName,
      revisionCounter: this.revision,
      isNameObsolete,
    });
  }
}

export function certificateMetaXml(cert: CertificateRecord): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">',
    `    <caSigned>${String(cert.caSigned)}</caSigned>`,
    `    <expirationDate>${cert.expirationDate}</expirationDate>`,
    `    <keySize>${cert.keySize}</keySize>`,
    `    <masterLabel>${cert.masterLabel}</masterLabel>`,
    `    <privateKeyExportable>${String(cert.privateKeyExportable)}</privateKeyExportable>`,
    '</Certificate>',
    '',
  ].join('\n');
}
