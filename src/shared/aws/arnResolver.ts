/*
 * The one place the trust anchor, profile and role ARNs are resolved: flags win, stack outputs fill
 * the rest, and the three are checked as one set. Every command resolves them once per run.
 * Stack outputs come in already loaded (readStackOutputsFile today; any other source of
 * `{ OutputKey, OutputValue }` lists, such as CloudFormation DescribeStacks, plugs in the same way).
 */
import { Messages } from '@salesforce/core';
import { checkRolesAnywhereArns, ROLES_ANYWHERE_ARN_KINDS, type RolesAnywhereArnKind, type RolesAnywhereArns } from './arn.js';
import type { AwsAccess } from './access.js';
import type { AwsConnector } from './controlPlane.js';
import { loadStack } from './stack.js';
import { type LoadedStackOutputs, pickArns, readStackOutputsFile, type StackOutputArns } from './stackOutputs.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'arn');

/**
 * What the user gave for the ARNs: each flag, and the stack outputs that supply the ones not given:
 * a describe-stacks file, or the stack itself (CloudFormation DescribeStacks with the user's credentials).
 */
export type ArnInput = Partial<Record<RolesAnywhereArnKind, string>> & {
  stackOutputsFile?: string;
  stackName?: string;
  aws?: AwsAccess;
  /** The AWS adapter; injectable for tests (default: the SDK's). */
  connect?: AwsConnector;
};

export const ARN_FLAGS: Record<RolesAnywhereArnKind, string> = {
  trustAnchorArn: '--trust-anchor-arn',
  profileArn: '--profile-arn',
  roleArn: '--role-arn',
};

/** Where an ARN came from. `file` names the stack outputs' source (a file's path). */
export type ArnSource = { from: 'flag'; flag: string } | { from: 'stack-outputs'; file: string; outputKey: string };

export type ResolvedArns = RolesAnywhereArns & { sources: Record<RolesAnywhereArnKind, ArnSource> };

/** The error for ARNs neither flagged nor in stack outputs; `flags` lists the missing flags. */
export type MissingArnsRefusal = (flags: string) => Error;

const refuseMissingArns: MissingArnsRefusal = (flags) => messages.createError('error.ArnsMissing', [flags]);

/**
 * Refuses, before any request, input that cannot give all three ARNs: some ARN flag missing and no stack
 * (outputs file or name) to supply it. resolveArns checks the same once the stack is read.
 */
export function checkArnSources(input: ArnInput): void {
  if (input.stackOutputsFile !== undefined || input.stackName !== undefined) return;
  const missing = ROLES_ANYWHERE_ARN_KINDS.filter((kind) => !input[kind]?.trim());
  if (missing.length > 0) throw refuseMissingArns(missing.map((kind) => ARN_FLAGS[kind]).join(', '));
}

/** Loads the stack-outputs file the input names, if any, then resolves (see resolveArns). */
export async function resolveArnInput(input: ArnInput, refuseMissing?: MissingArnsRefusal): Promise<ResolvedArns> {
  // Read even when flags give every ARN: a file or stack the user named must not be silently ignored.
  const stackOutputs = input.stackOutputsFile
    ? await readStackOutputsFile(input.stackOutputsFile)
    : input.stackName
    ? await loadStack(input.stackName, input.aws ?? {}, input.connect)
    : undefined;
  return resolveArns(input, stackOutputs, refuseMissing);
}

/** Flags win over stack outputs; stack outputs fill the rest; all three are then checked as one set. */
export function resolveArns(
  given: Partial<Record<RolesAnywhereArnKind, string>>,
  stackOutputs: LoadedStackOutputs | undefined,
  refuseMissing: MissingArnsRefusal = refuseMissingArns
): ResolvedArns {
  const flagValue = (kind: RolesAnywhereArnKind): string | undefined => {
    const value = given[kind]?.trim();
    return value ? value : undefined;
  };
  const needed = ROLES_ANYWHERE_ARN_KINDS.filter((kind) => !flagValue(kind));
  if (needed.length > 0 && !stackOutputs) throw refuseMissing(needed.map((kind) => ARN_FLAGS[kind]).join(', '));
  const picks: StackOutputArns = stackOutputs ? pickArns(stackOutputs, needed) : {};
  const resolve = (kind: RolesAnywhereArnKind): { value: string; source: ArnSource } => {
    const value = flagValue(kind);
    if (value) return { value, source: { from: 'flag', flag: ARN_FLAGS[kind] } };
    // pickArns guarantees the needed kinds; this only satisfies the compiler
    const pick = picks[kind];
    if (!pick || !stackOutputs) throw refuseMissing(ARN_FLAGS[kind]);
    return { value: pick.value, source: { from: 'stack-outputs', file: stackOutputs.source, outputKey: pick.outputKey } };
  };
  const resolved = { trustAnchorArn: resolve('trustAnchorArn'), profileArn: resolve('profileArn'), roleArn: resolve('roleArn') };
  const label = (kind: RolesAnywhereArnKind): string => describeSource(resolved[kind].source, kind);
  const arns = checkRolesAnywhereArns(
    { trustAnchorArn: resolved.trustAnchorArn.value, profileArn: resolved.profileArn.value, roleArn: resolved.roleArn.value },
    { trustAnchorArn: label('trustAnchorArn'), profileArn: label('profileArn'), roleArn: label('roleArn') }
  );
  return {
    ...arns,
    sources: { trustAnchorArn: resolved.trustAnchorArn.source, profileArn: resolved.profileArn.source, roleArn: resolved.roleArn.source },
  };
}

/** How messages name an ARN: its flag, or e.g. "role arn (stack output TheRole in outputs.json)". */
function describeSource(source: ArnSource, kind: RolesAnywhereArnKind): string {
  if (source.from === 'flag') return source.flag;
  return `${ARN_FLAGS[kind].slice(2).replace(/-/g, ' ')} (stack output ${source.outputKey} in ${source.file})`;
}
