/*
 * `sf iamra doctor`: reads everything the setup depends on - in parallel, read-only - and turns each
 * fact into a pass / warn / fail check with its fix. The reads are the I/O; evaluating a fact is a
 * small function of what was read and "now".
 */
import type { Connection } from '@salesforce/core';
import { parseRolesAnywhereArn } from '../aws/arn.js';
import { certificateExpiry } from '../keystore/expiry.js';
import { inspectKeystore } from '../keystore/inspect.js';
import type { SecretAsker } from '../keystore/intake.js';
import { orderBySignatures } from '../keystore/chain.js';
import { readInputFile } from '../files/inputFile.js';
import { parseCertificates } from '../keystore/pem.js';
import { certificateFindings, type Finding, salesforceKeyFindings } from '../keystore/rules.js';
import { SALESFORCE_RSA_SIZES } from '../keystore/constants.js';
import { principalAccessName } from '../metadata/builder.js';
import { CONNECTOR_NAMESPACE, DEFAULT_NAMES, NAMED_CREDENTIAL_PARAMETER_NAMES, type Service } from '../metadata/constants.js';
import { prepareCredentialSet } from '../metadata/generate.js';
import type { CredentialSetInput, NameOverrides } from '../metadata/inputs.js';
import { MIN_API_VERSION } from '../org/constants.js';
import { errorText, isSessionExpired } from '../org/orgErrors.js';
import { getPrincipalCredential } from '../org/principalCredential.js';
import { retrieveComponentXml } from '../org/retrieveComponents.js';
import { soqlString } from '../org/soql.js';
import {
  describeDifference,
  type Difference,
  diffComponent,
  type DriftKind,
  externalCredentialParameters,
  identityProviderEnabled,
  namedCredentialParameters,
  permissionSetAccesses,
} from './drift.js';
import { type LiveCheckResult, runLiveCheck, serviceOf } from './liveCheck.js';
import { doctorMessages as messages } from './messages.js';
import type { CheckStatus, DoctorCheck, DoctorCheckId, DoctorResult } from './types.js';

export type DoctorRequest = {
  connection: Connection;
  /** The running user (sf's login). */
  username: string;
  names?: NameOverrides;
  /** ARNs, region, duration as the deploy was given them; without them the org's own values are the reference. */
  credentialSet?: Omit<CredentialSetInput, 'names' | 'stage'>;
  /** Users besides the running one who must hold the permission set. */
  assignTo?: string[];
  /** false: skip the live check (--no-callout). */
  callout: boolean;
  /** A local keystore or PEM to check with the keystore rules. */
  local?: { keystore?: string; certificate?: string; askSecret: SecretAsker };
  now?: Date;
};

type Names = Required<Omit<NameOverrides, 'identityProviderCertificate'>>;

/** A read that may fail without stopping the other checks; an expired session still stops everything. */
type Read<T> = { ok: true; value: T } | { ok: false; error: string };

async function read<T>(call: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (isSessionExpired(error)) throw error;
    return { ok: false, error: errorText(error) };
  }
}

type CertificateRow = { DeveloperName: string; ExpirationDate?: string | null; KeySize?: number | null };
type PackageRow = {
  SubscriberPackage?: { NamespacePrefix?: string | null; Name?: string | null } | null;
  SubscriberPackageVersion?: { MajorVersion?: number; MinorVersion?: number; PatchVersion?: number } | null;
};
type PermissionRow = Record<string, boolean | undefined>;

/** The running user's permissions that the setup and the live check need [doc] (UserPermissionAccess). */
export const USER_PERMISSIONS = {
  customizeApplication: 'PermissionsCustomizeApplication',
  authorApex: 'PermissionsAuthorApex',
  manageNamedCredentials: 'PermissionsManageNamedCredentials',
  viewSetup: 'PermissionsViewSetup',
} as const;

const paths = (names: Names): Record<DriftKind | 'IdentityProvider', string> => ({
  ExternalCredential: `externalCredentials/${names.externalCredential}.externalCredential`,
  NamedCredential: `namedCredentials/${names.namedCredential}.namedCredential`,
  PermissionSet: `permissionsets/${names.permissionSet}.permissionset`,
  IdentityProvider: 'settings/IdentityProvider.settings',
});

export async function runDoctor(request: DoctorRequest): Promise<DoctorResult> {
  const { connection } = request;
  const names: Names = { ...DEFAULT_NAMES, ...definedOnly(request.names ?? {}) };
  const now = request.now ?? new Date();
  const where = paths(names);
  const [components, certificates, packages, permissions, holders, namedCredentialRows, local] = await Promise.all([
    read(() =>
      retrieveComponentXml(connection, [
        { type: 'ExternalCredential', fullName: names.externalCredential, path: where.ExternalCredential },
        { type: 'NamedCredential', fullName: names.namedCredential, path: where.NamedCredential },
        { type: 'PermissionSet', fullName: names.permissionSet, path: where.PermissionSet },
        { type: 'Settings', fullName: 'IdentityProvider', path: where.IdentityProvider },
      ])
    ),
    // Every certificate in one query: which one signs is only known once the external credential is read.
    read(async () => (await connection.tooling.query<CertificateRow>('SELECT DeveloperName, ExpirationDate, KeySize FROM Certificate')).records),
    read(
      async () =>
        (
          await connection.tooling.query<PackageRow>(
            'SELECT SubscriberPackage.NamespacePrefix, SubscriberPackage.Name, SubscriberPackageVersion.MajorVersion, SubscriberPackageVersion.MinorVersion, SubscriberPackageVersion.PatchVersion FROM InstalledSubscriberPackage'
          )
        ).records
    ),
    read(async () => (await connection.query<PermissionRow>(`SELECT ${Object.values(USER_PERMISSIONS).join(', ')} FROM UserPermissionAccess`)).records[0]),
    read(
      async () =>
        (
          await connection.query<{ Assignee?: { Username?: string } | null }>(
            `SELECT Assignee.Username FROM PermissionSetAssignment WHERE PermissionSet.Name = '${soqlString(names.permissionSet)}'`
          )
        ).records.map((r) => r.Assignee?.Username ?? '')
    ),
    read(
      async () =>
        (
          await connection.tooling.query<{ NamedCredentialType?: string }>(
            `SELECT DeveloperName, NamedCredentialType FROM NamedCredential WHERE DeveloperName = '${soqlString(names.namedCredential)}'`
          )
        ).records
    ),
    request.local ? localCheck(request.local, now) : Promise.resolve(undefined),
  ]);

  const xml = components.ok ? components.value : new Map<string, string>();
  const ecXml = xml.get(where.ExternalCredential);
  const ncXml = xml.get(where.NamedCredential);
  const psXml = xml.get(where.PermissionSet);
  const ecParameters = ecXml ? externalCredentialParameters(ecXml) : [];
  const ecValue = (name: string): string | undefined => ecParameters.find((p) => p.parameterName === name)?.parameterValue;
  const principal = ecParameters.find((p) => p.parameterType === 'NamedPrincipal')?.parameterName ?? names.principal;
  const signingParameter = ecParameters.find((p) => p.parameterType === 'SigningCertificate');
  const signingCertificate = request.names?.signingCertificate ?? signingParameter?.certificate ?? signingParameter?.parameterValue ?? names.signingCertificate;
  const ncParameters = ncXml ? namedCredentialParameters(ncXml) : [];
  const url = ncParameters.find((p) => p.parameterType === 'Url')?.parameterValue;
  const urlService = serviceOf(url);

  const [roleArn, live] = await Promise.all([
    ecXml ? read(() => getPrincipalCredential(connection, { externalCredential: names.externalCredential, principalName: principal })) : undefined,
    request.callout && ncXml && urlService ? read(() => runLiveCheck(connection, { namedCredential: names.namedCredential, service: urlService })) : undefined,
  ]);

  const expected = await expectedSet(request, names, { principal, signingCertificate, ecValue, roleArn: roleArn?.ok ? roleArn.value.roleArn : undefined });
  const checks: DoctorCheck[] = [
    apiVersionCheck(connection.getApiVersion()),
    packageCheck(packages),
    permissionsCheck(permissions),
    identityProviderCheck(components, xml.get(where.IdentityProvider)),
    certificateCheck(certificates, signingCertificate, now),
    componentCheck('external-credential', names.externalCredential, components, ecXml, expected, 'ExternalCredential'),
    namedCredentialCheck(names.namedCredential, components, ncXml, expected, namedCredentialRows, urlService, url, ecValue('AwsService')),
    allowedNamespaceCheck(names.namedCredential, ncXml, ncParameters),
    permissionSetCheck(names, principal, components, psXml, expected),
    roleArnCheck(principal, roleArn),
    assignmentsCheck(names.permissionSet, holders, [request.username, ...(request.assignTo ?? [])]),
    liveCheckResult(request.callout, names.namedCredential, live),
    ...(local ? [local] : []),
  ];
  const summary: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const { status } of checks) summary[status] += 1;
  return { username: request.username, apiVersion: connection.getApiVersion(), passed: summary.fail === 0, summary, checks };
}

// ---- building a check ----

function check(
  id: DoctorCheckId,
  status: CheckStatus,
  tokens: string[] = [],
  details: string[] = [],
  outcome: string = status,
  fixTokens: string[] = tokens
): DoctorCheck {
  const key = `${id}.${outcome}`;
  return {
    id,
    status,
    message: messages.getMessage(key, tokens),
    fix: status === 'pass' || status === 'skip' ? [] : messages.getMessages(`${key}.fix`, fixTokens),
    details,
  };
}

function readFailed(id: DoctorCheckId, error: string): DoctorCheck {
  return { id, status: 'fail', message: messages.getMessage('readFailed', [error]), fix: messages.getMessages('readFailed.fix'), details: [] };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---- the checks ----

function apiVersionCheck(apiVersion: string): DoctorCheck {
  return Number.parseFloat(apiVersion) >= MIN_API_VERSION
    ? check('api-version', 'pass', [apiVersion])
    : check('api-version', 'fail', [apiVersion, `${MIN_API_VERSION}.0`], [], 'fail', [`${MIN_API_VERSION}.0`]);
}

function packageCheck(packages: Read<PackageRow[]>): DoctorCheck {
  if (!packages.ok) return readFailed('package', packages.error);
  const row = packages.value.find((p) => p.SubscriberPackage?.NamespacePrefix === CONNECTOR_NAMESPACE);
  if (!row) return check('package', 'fail', [CONNECTOR_NAMESPACE]);
  const v = row.SubscriberPackageVersion;
  const version = v ? `${v.MajorVersion ?? 0}.${v.MinorVersion ?? 0}.${v.PatchVersion ?? 0}` : '?';
  return check('package', 'pass', [row.SubscriberPackage?.Name ?? CONNECTOR_NAMESPACE, CONNECTOR_NAMESPACE, version]);
}

function permissionsCheck(permissions: Read<PermissionRow | undefined>): DoctorCheck {
  if (!permissions.ok) return readFailed('user-permissions', permissions.error);
  const has = (field: string): boolean => permissions.value?.[field] === true;
  const missing = [
    ...(has(USER_PERMISSIONS.customizeApplication) ? [] : ['Customize Application']),
    ...(has(USER_PERMISSIONS.authorApex) ? [] : ['Author Apex']),
    ...(has(USER_PERMISSIONS.manageNamedCredentials) || has(USER_PERMISSIONS.viewSetup) ? [] : ['Manage Named Credentials or View Setup']),
  ];
  return missing.length ? check('user-permissions', 'fail', [missing.join(', ')]) : check('user-permissions', 'pass');
}

function identityProviderCheck(components: Read<Map<string, string>>, settingsXml: string | undefined): DoctorCheck {
  if (!components.ok) return readFailed('identity-provider', components.error);
  const idp = settingsXml ? identityProviderEnabled(settingsXml) : { enabled: false };
  return idp.enabled ? check('identity-provider', 'pass', [idp.certificateName ?? '']) : check('identity-provider', 'warn');
}

function certificateCheck(certificates: Read<CertificateRow[]>, name: string, now: Date): DoctorCheck {
  if (!certificates.ok) return readFailed('signing-certificate', certificates.error);
  const row = certificates.value.find((c) => c.DeveloperName === name);
  if (!row) return check('signing-certificate', 'fail', [name], [], 'missing');
  const keySize = row.KeySize ?? 0;
  if (row.KeySize && !SALESFORCE_RSA_SIZES.includes(keySize)) return check('signing-certificate', 'fail', [name, String(keySize)], [], 'keySize');
  if (!row.ExpirationDate) return check('signing-certificate', 'warn', [name], [], 'noExpiry');
  const day = row.ExpirationDate.slice(0, 10);
  const { status, daysLeft } = certificateExpiry({ notAfter: new Date(row.ExpirationDate) }, now);
  const tokens = [name, String(keySize), day, String(daysLeft)];
  if (status === 'expired') return check('signing-certificate', 'fail', tokens, [], 'expired');
  if (status === 'expiring') return check('signing-certificate', 'warn', tokens, [], 'expiring');
  return check('signing-certificate', 'pass', tokens);
}

/** `placeholders`: values the org lacks and no flag gave, replaced by a stand-in so the rest can still be compared. */
type Expected = { files: Map<DriftKind, string>; placeholders: Map<string, string> } | { error: string };

/** Stand-ins for ARNs missing from the org's external credential (any valid ARN builds the same shape). */
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

async function expectedSet(
  request: DoctorRequest,
  names: Names,
  org: { principal: string; signingCertificate: string; ecValue: (name: string) => string | undefined; roleArn?: string }
): Promise<Expected> {
  const given = request.credentialSet ?? {};
  // Given ARNs or stack outputs are the reference (what was deployed); otherwise the org's own values are.
  const fromFlags = Boolean(given.trustAnchorArn ?? given.profileArn ?? given.stackOutputsFile);
  const orgValue = (name: string): string | undefined => (fromFlags ? undefined : org.ecValue(name));
  const trustAnchorArn = given.trustAnchorArn ?? orgValue('AwsTrustAnchorArn');
  const account = org.ecValue('AwsAccountId') ?? /:(\d{12}):/.exec(trustAnchorArn ?? '')?.[1] ?? '000000000000';
  const partition = /^arn:([\w-]+):/.exec(trustAnchorArn ?? '')?.[1] ?? 'aws';
  const duration = Number(orgValue('AwsStsDuration'));
  const stage = org.ecValue('AwsService') === 's3' ? 's3' : 'sts';
  const placeholders = new Map<string, string>();
  const orPlaceholder = (value: string | undefined, kind: 'trust-anchor' | 'profile'): string | undefined => {
    if (fromFlags) return value;
    if (value) return value;
    const region = org.ecValue('AwsRegion') ?? 'us-west-2';
    const stand = `arn:${partition}:rolesanywhere:${region}:${account}:${kind}/${PLACEHOLDER_ID}`;
    placeholders.set(stand, messages.getMessage('placeholder', [kind]));
    return stand;
  };
  try {
    const prepared = await prepareCredentialSet({
      trustAnchorArn: orPlaceholder(trustAnchorArn, 'trust-anchor'),
      profileArn: orPlaceholder(given.profileArn ?? orgValue('AwsProfileArn'), 'profile'),
      // Not metadata: any role in the account builds the same files.
      roleArn: given.roleArn ?? org.roleArn ?? `arn:${partition}:iam::${account}:role/doctor`,
      stackOutputsFile: given.stackOutputsFile,
      region: given.region ?? orgValue('AwsRegion'),
      stsDurationSeconds: given.stsDurationSeconds ?? (Number.isFinite(duration) && duration > 0 ? duration : undefined),
      service: stage,
      names: { ...names, principal: org.principal, signingCertificate: org.signingCertificate },
    });
    return { files: new Map(prepared.files.map((f) => [f.type as DriftKind, f.content])), placeholders };
  } catch (error) {
    return { error: errorText(error) };
  }
}

/** Present, and shaped as the plugin would generate it: parameter drift fails, label/description drift warns. */
function componentCheck(
  id: DoctorCheckId,
  name: string,
  components: Read<Map<string, string>>,
  orgXml: string | undefined,
  expected: Expected,
  kind: DriftKind
): DoctorCheck {
  if (!components.ok) return readFailed(id, components.error);
  if (!orgXml) return check(id, 'fail', [name], [], 'missing');
  if ('error' in expected) return check(id, 'fail', [name, expected.error], [], 'unreadable');
  const differences = diffComponent(kind, orgXml, expected.files.get(kind) ?? '');
  return driftCheck(id, name, differences, expected.placeholders);
}

function driftCheck(id: DoctorCheckId, name: string, differences: Difference[], placeholders: Map<string, string>): DoctorCheck {
  const details = differences.map((d) => [...placeholders].reduce((line, [stand, said]) => line.split(stand).join(said), describeDifference(d)));
  if (differences.some((d) => !d.cosmetic)) return check(id, 'fail', [name, String(differences.length)], details, 'drift');
  if (differences.length) return check(id, 'warn', [name, String(differences.length)], details, 'cosmetic');
  return check(id, 'pass', [name]);
}

function namedCredentialCheck(
  name: string,
  components: Read<Map<string, string>>,
  orgXml: string | undefined,
  expected: Expected,
  rows: Read<Array<{ NamedCredentialType?: string }>>,
  urlService: Service | undefined,
  url: string | undefined,
  ecService: string | undefined
): DoctorCheck {
  if (rows.ok && rows.value[0]?.NamedCredentialType === 'Legacy') return check('named-credential', 'fail', [name], [], 'legacy');
  const shape = componentCheck('named-credential', name, components, orgXml, expected, 'NamedCredential');
  if (shape.status === 'fail' && !orgXml) return shape;
  if (urlService && ecService && urlService !== ecService) {
    return { ...check('named-credential', 'fail', [name, url ?? '', urlService, ecService], shape.details, 'serviceMismatch') };
  }
  if (shape.status === 'fail') return shape;
  if (urlService === 'sts') return check('named-credential', 'warn', [name, url ?? ''], shape.details, 'onSts');
  if (!urlService) return check('named-credential', 'fail', [name, url ?? ''], shape.details, 'unknownService');
  if (shape.status === 'warn') return shape;
  return check('named-credential', 'pass', [name, url ?? ''], [], 'onS3');
}

function allowedNamespaceCheck(name: string, orgXml: string | undefined, parameters: Array<Record<string, string | undefined>>): DoctorCheck {
  if (!orgXml) return check('allowed-namespace', 'skip', [name]);
  const allowed = parameters
    .filter((p) => p.parameterName === NAMED_CREDENTIAL_PARAMETER_NAMES.allowedNamespaces || p.parameterType === 'AllowedManagedPackageNamespaces')
    .flatMap((p) => (p.parameterValue ?? '').split(/[\s,]+/));
  return allowed.includes(CONNECTOR_NAMESPACE)
    ? check('allowed-namespace', 'pass', [name, CONNECTOR_NAMESPACE])
    : check('allowed-namespace', 'fail', [name, CONNECTOR_NAMESPACE]);
}

function permissionSetCheck(names: Names, principal: string, components: Read<Map<string, string>>, orgXml: string | undefined, expected: Expected): DoctorCheck {
  const shape = componentCheck('permission-set', names.permissionSet, components, orgXml, expected, 'PermissionSet');
  if (!orgXml) return shape;
  const access = principalAccessName({ externalCredential: names.externalCredential, principal });
  if (!permissionSetAccesses(orgXml).includes(access)) return check('permission-set', 'fail', [names.permissionSet, access], shape.details, 'noAccess');
  return shape;
}

function roleArnCheck(principal: string, roleArn: Read<{ roleArn?: string }> | undefined): DoctorCheck {
  if (!roleArn) return check('role-arn', 'skip', [principal]);
  if (!roleArn.ok) return readFailed('role-arn', roleArn.error);
  const arn = roleArn.value.roleArn;
  if (!arn) return check('role-arn', 'fail', [principal]);
  try {
    parseRolesAnywhereArn('roleArn', arn);
  } catch (error) {
    return check('role-arn', 'fail', [principal, arn, errorText(error)], [], 'invalid');
  }
  return check('role-arn', 'pass', [principal, arn]);
}

function assignmentsCheck(permissionSet: string, holders: Read<string[]>, required: string[]): DoctorCheck {
  if (!holders.ok) return readFailed('assignments', holders.error);
  const held = new Set(holders.value.map((u) => u.toLowerCase()));
  const missing = [...new Set(required)].filter((u) => !held.has(u.toLowerCase()));
  const holding = holders.value.join(', ') || messages.getMessage('nobody');
  if (missing.length) return check('assignments', 'fail', [permissionSet, missing.join(', '), holding], holders.value);
  return check('assignments', 'pass', [permissionSet, holding], holders.value);
}

function liveCheckResult(callout: boolean, namedCredential: string, live: Read<LiveCheckResult> | undefined): DoctorCheck {
  if (!callout) return check('live-check', 'skip', [namedCredential], [], 'disabled');
  if (!live) return check('live-check', 'skip', [namedCredential]);
  if (!live.ok) return readFailed('live-check', live.error);
  const result = live.value;
  const base = { id: 'live-check' as const, message: result.message, details: result.detail && !result.passed ? [result.detail] : [] };
  return result.passed ? { ...base, status: 'pass', fix: [] } : { ...base, status: 'fail', fix: result.actions };
}

async function localCheck(local: NonNullable<DoctorRequest['local']>, now: Date): Promise<DoctorCheck> {
  let findings: Finding[];
  let subject: string;
  let notAfter: string;
  let file: string;
  try {
    if (local.keystore) {
      const report = await inspectKeystore({ file: local.keystore, askSecret: local.askSecret, now });
      ({ findings, subject, notAfter } = report);
      file = report.path;
    } else {
      file = local.certificate ?? '';
      const chain = orderBySignatures(parseCertificates(await readInputFile(file, 'certificate'), file)).ordered;
      findings = [...salesforceKeyFindings(chain[0].publicKey), ...certificateFindings(chain, now)];
      subject = chain[0].subject.replace(/\n/g, ', ');
      notAfter = new Date(chain[0].validTo).toISOString();
    }
  } catch (error) {
    if (isSessionExpired(error)) throw error;
    return check('local-certificate', 'fail', [local.keystore ?? local.certificate ?? '', errorText(error)], [], 'unreadable');
  }
  const details = findings.map((f) => `${f.severity} ${f.code}: ${f.message}`);
  const { daysLeft } = certificateExpiry({ notAfter: new Date(notAfter) }, now);
  const tokens = [file, subject, notAfter.slice(0, 10), String(daysLeft)];
  const status: CheckStatus = findings.some((f) => f.severity === 'error') ? 'fail' : findings.length ? 'warn' : 'pass';
  // The keystore rules carry their own fixes (each finding's action).
  return {
    id: 'local-certificate',
    status,
    message: messages.getMessage(`local-certificate.${status}`, tokens),
    fix: [...new Set(findings.map((f) => f.action))],
    details,
  };
}
