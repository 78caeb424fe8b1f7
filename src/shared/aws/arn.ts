/*
 * ARNs for IAM Roles Anywhere: parsing and the checks every command applies before anything is
 * generated or called. Pure: text in, values or SfErrors out.
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'arn');

/** Partitions where IAM Roles Anywhere exists and the connector can be set up. */
export const SUPPORTED_PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const;
export type Partition = (typeof SUPPORTED_PARTITIONS)[number];

export type Arn = {
  partition: string;
  service: string;
  /** Empty for global services such as IAM. */
  region: string;
  accountId: string;
  /** The part of the resource before the first `/` (`trust-anchor`, `profile`, `role`). */
  resourceType: string;
  /** Everything after the first `/`; for IAM roles this includes the path (`service-role/x`). */
  resourceId: string;
  /** The ARN exactly as given (trimmed). */
  text: string;
};

/** The three ARNs the Roles Anywhere setup needs, by what they are. */
export type RolesAnywhereArnKind = 'trustAnchorArn' | 'profileArn' | 'roleArn';

export const ROLES_ANYWHERE_ARN_KINDS: readonly RolesAnywhereArnKind[] = ['trustAnchorArn', 'profileArn', 'roleArn'];

type KindSpec = { service: string; resourceType: string; regional: boolean; description: string };

const KIND_SPECS: Record<RolesAnywhereArnKind, KindSpec> = {
  trustAnchorArn: {
    service: 'rolesanywhere',
    resourceType: 'trust-anchor',
    regional: true,
    description: 'an IAM Roles Anywhere trust anchor (arn:aws:rolesanywhere:REGION:ACCOUNT:trust-anchor/ID)',
  },
  profileArn: {
    service: 'rolesanywhere',
    resourceType: 'profile',
    regional: true,
    description: 'an IAM Roles Anywhere profile (arn:aws:rolesanywhere:REGION:ACCOUNT:profile/ID)',
  },
  roleArn: {
    service: 'iam',
    resourceType: 'role',
    regional: false,
    description: 'an IAM role (arn:aws:iam::ACCOUNT:role/NAME, optionally with a path)',
  },
};

/** How a field is named in messages: a flag (`--role-arn`) or where the value came from. */
export type ArnLabels = Partial<Record<RolesAnywhereArnKind, string>>;

const DEFAULT_LABELS: Record<RolesAnywhereArnKind, string> = {
  trustAnchorArn: 'trust anchor ARN',
  profileArn: 'profile ARN',
  roleArn: 'role ARN',
};

const ARN_SHAPE = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.+)$/;
const ACCOUNT_ID = /^\d{12}$/;
/** Roles Anywhere resource ids are UUIDs; accept any id of that alphabet so test ids work too. */
const ROLES_ANYWHERE_ID = /^[A-Za-z0-9-]+$/;
/** IAM role path + name: path segments and the name use IAM's documented character set. */
const ROLE_PATH_AND_NAME = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/**
 * Splits an ARN into its fields. Throws error.MalformedArn (naming `label`) when the text does not
 * have the `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` shape. Checks nothing else.
 */
export function parseArn(text: string, label = 'ARN'): Arn {
  const trimmed = text.trim();
  const match = ARN_SHAPE.exec(trimmed);
  if (!match?.[1] || !match[2]) {
    throw messages.createError('error.MalformedArn', [label, text]);
  }
  const [, partition, service, region, accountId, resource] = match;
  const slash = resource.indexOf('/');
  const resourceType = slash === -1 ? resource : resource.slice(0, slash);
  const resourceId = slash === -1 ? '' : resource.slice(slash + 1);
  return { partition, service, region, accountId, resourceType, resourceId, text: trimmed };
}

/** Which of the three Roles Anywhere ARNs this is, judged by service and resource type; undefined for others. */
export function rolesAnywhereKindOf(arn: Arn): RolesAnywhereArnKind | undefined {
  return ROLES_ANYWHERE_ARN_KINDS.find(
    (kind) => KIND_SPECS[kind].service === arn.service && KIND_SPECS[kind].resourceType === arn.resourceType
  );
}

/** Parses `text` and checks it is a well-formed ARN of `kind` in a supported partition and account. */
export function parseRolesAnywhereArn(kind: RolesAnywhereArnKind, text: string, label = DEFAULT_LABELS[kind]): Arn {
  const arn = parseArn(text, label);
  const spec = KIND_SPECS[kind];
  if (arn.service !== spec.service || arn.resourceType !== spec.resourceType) {
    const actual = `${arn.service} ${arn.resourceType}`;
    throw messages.createError('error.WrongArnKind', [label, spec.description, arn.text, actual]);
  }
  if (!(SUPPORTED_PARTITIONS as readonly string[]).includes(arn.partition)) {
    throw messages.createError('error.UnsupportedPartition', [label, arn.partition, SUPPORTED_PARTITIONS.join(', ')]);
  }
  if (!ACCOUNT_ID.test(arn.accountId)) {
    throw messages.createError('error.BadAccountId', [label, arn.accountId]);
  }
  if (spec.regional && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(arn.region)) {
    throw messages.createError('error.BadRegion', [label, arn.region, arn.text]);
  }
  if (!spec.regional && arn.region !== '') {
    throw messages.createError('error.UnexpectedRegion', [label, arn.region, arn.text]);
  }
  const idOk = spec.regional ? ROLES_ANYWHERE_ID.test(arn.resourceId) : ROLE_PATH_AND_NAME.test(arn.resourceId);
  if (!idOk) {
    throw messages.createError('error.BadResourceId', [label, arn.resourceId, spec.description]);
  }
  return arn;
}

export type RolesAnywhereArnInput = Record<RolesAnywhereArnKind, string>;

export type RolesAnywhereArns = Record<RolesAnywhereArnKind, Arn> & {
  /** The trust anchor's region (the profile's is the same); where Roles Anywhere is called. */
  region: string;
  accountId: string;
  partition: Partition;
};

/**
 * Validates the trust anchor, profile and role ARNs as one set: each of the right kind, all in one
 * partition and one 12-digit account, trust anchor and profile in one region. `labels` names each
 * field in messages (a flag such as `--role-arn`, or the stack output it came from).
 * Does not judge the region itself: callers with a region policy apply it to `region`.
 */
export function checkRolesAnywhereArns(input: RolesAnywhereArnInput, labels: ArnLabels = {}): RolesAnywhereArns {
  const label = (kind: RolesAnywhereArnKind): string => labels[kind] ?? DEFAULT_LABELS[kind];
  const trustAnchorArn = parseRolesAnywhereArn('trustAnchorArn', input.trustAnchorArn, label('trustAnchorArn'));
  const profileArn = parseRolesAnywhereArn('profileArn', input.profileArn, label('profileArn'));
  const roleArn = parseRolesAnywhereArn('roleArn', input.roleArn, label('roleArn'));
  for (const [kind, arn] of [
    ['profileArn', profileArn],
    ['roleArn', roleArn],
  ] as const) {
    if (arn.partition !== trustAnchorArn.partition) {
      throw messages.createError('error.PartitionMismatch', [
        label(kind),
        arn.partition,
        label('trustAnchorArn'),
        trustAnchorArn.partition,
      ]);
    }
    if (arn.accountId !== trustAnchorArn.accountId) {
      throw messages.createError('error.AccountMismatch', [
        label(kind),
        arn.accountId,
        label('trustAnchorArn'),
        trustAnchorArn.accountId,
      ]);
    }
  }
  if (profileArn.region !== trustAnchorArn.region) {
    throw messages.createError('error.RegionMismatch', [
      label('trustAnchorArn'),
      trustAnchorArn.region,
      label('profileArn'),
      profileArn.region,
    ]);
  }
  return {
    trustAnchorArn,
    profileArn,
    roleArn,
    region: trustAnchorArn.region,
    accountId: trustAnchorArn.accountId,
    partition: trustAnchorArn.partition as Partition,
  };
}
