/*
 * configure's plan: what the org holds (read first, see orgRead.ts) against what the run wants, one
 * row per managed item with an action, and the route that reaches it while changing only what
 * differs. Pure: the same reading and wishes give the same plan.
 */
import type { Service as ServiceStage } from '../metadata/constants.js';
import type { MetadataFile } from '../metadata/builder.js';
import type { OrgComponent } from '../org/deployMetadata.js';
import type { OrgNames } from '../org/types.js';
import { canonicalLines, sameComponent, serviceOf, shortDiff } from '../org/deployCompare.js';

export type PlanAction = 'create' | 'update' | 'none';

/** One row of the plan table (and of --json `plan.rows`). */
export type PlanRow = {
  item: string;
  name: string;
  /** What the org holds now, in words ("absent", "points at s3", an ARN...). */
  now: string;
  wanted: string;
  action: PlanAction;
};

export type ComponentPlan = {
  type: string;
  fullName: string;
  action: PlanAction;
  /** The org's XML before the run (absent: the org has none). */
  orgXml?: string;
  /** The final version the run deploys (the --final-service set). */
  wantedXml: string;
  /** The org's content differs from both the wanted version and the project's own file: someone else set it. */
  conflict?: { diff: string[] };
};

/**
 * nothing: the org already holds everything; in-place: change what differs and verify on the
 * final service; through-sts: the external credential changes, so test on STS before the switch.
 */
export type Route = 'nothing' | 'in-place' | 'through-sts';

export type ConvergePlan = {
  rows: PlanRow[];
  components: ComponentPlan[];
  roleArn: { action: PlanAction; current?: string; wanted: string; exists: boolean };
  /** Users who get the permission set (not holding it yet). */
  toAssign: string[];
  alreadyAssigned: string[];
  /** Where the named credential points now, from the org's own XML. */
  serviceNow?: ServiceStage;
  finalService: ServiceStage;
  route: Route;
  conflicts: ComponentPlan[];
};

export type OrgReadingForPlan = {
  components: OrgComponent[];
  roleArn: { exists: boolean; roleArn?: string };
  /** Usernames (as asked) that hold the permission set. */
  assigned: string[];
  certificate: CertificateForPlan;
};

/**
 * The signing certificate as the plan sees it: imported from a keystore (jks), or made in the org and
 * signed by AWS Private CA (csr, certificateStages.ts). A csr-mode --dry-run reads it before those
 * stages would run, so it may still be missing or a pending CSR.
 */
export type CertificateForPlan = {
  developerName: string;
  expirationDate?: string;
  mode: 'jks' | 'csr';
  /** What the org holds under the name when the plan is made (jks: only `missing` is said, by --keystore --dry-run). */
  state?: 'missing' | 'pending' | 'signed';
  /** csr only: this run's certificate stages signed it. */
  signedNow?: boolean;
};

export type Wishes = {
  names: OrgNames;
  finalService: ServiceStage;
  /** The --final-service set as the project would hold it. */
  files: MetadataFile[];
  /** The project's files for those components before this run (undefined: none). */
  projectXml: Map<string, string | undefined>;
  roleArn: string;
  usernames: string[];
};

export const componentKey = (c: { type: string; fullName: string }): string => `${c.type}:${c.fullName}`;

export function planConvergence(reading: OrgReadingForPlan, wishes: Wishes): ConvergePlan {
  const orgByKey = new Map(reading.components.map((c) => [componentKey(c), c.xml]));
  const components: ComponentPlan[] = wishes.files.map((file) => {
    const key = componentKey(file);
    const orgXml = orgByKey.get(key);
    const action: PlanAction = orgXml === undefined ? 'create' : sameComponent(orgXml, file.content) ? 'none' : 'update';
    const projectXml = wishes.projectXml.get(key);
    const ours = projectXml !== undefined && sameComponent(orgXml, projectXml);
    return {
      type: file.type,
      fullName: file.fullName,
      action,
      ...(orgXml !== undefined ? { orgXml } : {}),
      wantedXml: file.content,
      ...(action === 'update' && !ours ? { conflict: { diff: shortDiff(orgXml!, file.content) } } : {}),
    };
  });
  const roleAction: PlanAction = reading.roleArn.roleArn === wishes.roleArn ? 'none' : reading.roleArn.exists ? 'update' : 'create';
  const assignedLower = new Set(reading.assigned.map((u) => u.toLowerCase()));
  const usernames = [...new Set(wishes.usernames)];
  const toAssign = usernames.filter((u) => !assignedLower.has(u.toLowerCase()));
  const alreadyAssigned = usernames.filter((u) => assignedLower.has(u.toLowerCase()));
  const ec = components.find((c) => c.type === 'ExternalCredential');
  const serviceNow = serviceOf(orgByKey.get(componentKey({ type: 'ExternalCredential', fullName: wishes.names.externalCredential })));
  const certificate = certificateRow(reading.certificate);
  const anyChange = certificate.action !== 'none' || components.some((c) => c.action !== 'none') || roleAction !== 'none' || toAssign.length > 0;
  const route: Route = !anyChange ? 'nothing' : ec && ec.action !== 'none' ? 'through-sts' : 'in-place';
  const rows: PlanRow[] = [
    certificate,
    ...components.map((c) => ({
      item: c.type,
      name: c.fullName,
      now: describeComponent(c.orgXml, c.type),
      wanted: describeComponent(c.wantedXml, c.type),
      action: c.action,
    })),
    {
      item: 'Principal role ARN',
      name: wishes.names.principal,
      now: reading.roleArn.roleArn ?? 'none',
      wanted: wishes.roleArn,
      action: roleAction,
    },
    ...usernames.map((username) => ({
      item: 'Permission set assignment',
      name: username,
      now: assignedLower.has(username.toLowerCase()) ? 'assigned' : 'not assigned',
      wanted: 'assigned',
      action: (assignedLower.has(username.toLowerCase()) ? 'none' : 'create') as PlanAction,
    })),
  ];
  return {
    rows,
    components,
    roleArn: { action: roleAction, current: reading.roleArn.roleArn, wanted: wishes.roleArn, exists: reading.roleArn.exists },
    toAssign,
    alreadyAssigned,
    ...(serviceNow ? { serviceNow } : {}),
    finalService: wishes.finalService,
    route,
    conflicts: components.filter((c) => c.conflict),
  };
}

function certificateRow(certificate: CertificateForPlan): PlanRow {
  const row = { item: 'Signing certificate', name: certificate.developerName };
  const expires = certificate.expirationDate ? `, expires ${certificate.expirationDate.slice(0, 10)}` : '';
  if (certificate.mode === 'jks' && certificate.state === 'missing') return { ...row, now: 'absent', wanted: 'imported', action: 'create' };
  if (certificate.mode === 'jks') return { ...row, now: `imported${expires}`, wanted: 'imported', action: 'none' };
  const wanted = 'signed by AWS Private CA';
  if (certificate.state === 'missing') return { ...row, now: 'absent', wanted, action: 'create' };
  if (certificate.state === 'pending') return { ...row, now: 'CSR pending', wanted, action: 'update' };
  return { ...row, now: `${certificate.signedNow ? 'signed by AWS Private CA this run' : wanted}${expires}`, wanted, action: 'none' };
}

function describeComponent(xml: string | undefined, type: string): string {
  if (xml === undefined) return 'absent';
  const service = serviceOf(xml);
  if (type === 'PermissionSet') {
    const grants = canonicalLines(xml).filter((l) => l.includes('externalCredentialPrincipal = ')).map((l) => l.split(' = ')[1]);
    return grants.length ? `grants ${grants.join(', ')}` : 'grants nothing';
  }
  return service ? `points at ${service}` : 'present';
}
