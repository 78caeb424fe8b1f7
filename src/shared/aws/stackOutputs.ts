/*
 * Reads the ARNs out of a CloudFormation stack's outputs (`aws cloudformation describe-stacks
 * --stack-name NAME`, or just its `Outputs` array). Each ARN is recognised by what it is (service
 * and resource type), never by the output key, since stacks name their outputs freely.
 */
import { readFile } from 'node:fs/promises';
import { Messages } from '@salesforce/core';
import { decodeText, printable } from '../text.js';
import { parseArn, rolesAnywhereKindOf, ROLES_ANYWHERE_ARN_KINDS, type RolesAnywhereArnKind } from './arn.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'arn');

export type StackOutput = { OutputKey?: string; OutputValue?: string; Description?: string; ExportName?: string };

/** One ARN taken from the stack, and the output that gave it. */
export type StackOutputPick = { value: string; outputKey: string };

export type StackOutputArns = Partial<Record<RolesAnywhereArnKind, StackOutputPick>>;

const KIND_NAMES: Record<RolesAnywhereArnKind, string> = {
  trustAnchorArn: 'Roles Anywhere trust anchor (rolesanywhere trust-anchor)',
  profileArn: 'Roles Anywhere profile (rolesanywhere profile)',
  roleArn: 'IAM role (iam role)',
};

/** A stack's outputs as loaded, and what they came from (a file's path) for messages. */
export type LoadedStackOutputs = { source: string; outputs: StackOutput[] };

/**
 * Parses describe-stacks JSON text (the whole document, one stack, or the bare Outputs array).
 * Throws for text that is not JSON and JSON without outputs.
 */
export function parseStackOutputs(text: string, source: string): LoadedStackOutputs {
  return { source, outputs: outputsOf(parseJson(text.replace(/^\ufeff/, ''), source), source) };
}

/** Reads and parses a stack-outputs file (see parseStackOutputs). */
export async function readStackOutputsFile(path: string): Promise<LoadedStackOutputs> {
  let text: string;
  try {
    // PowerShell's `>` writes UTF-16, other tools a UTF-8 BOM: both are what describe-stacks printed.
    text = decodeText(await readFile(path));
  } catch {
    throw messages.createError('error.StackOutputsUnreadable', [path]);
  }
  return parseStackOutputs(text, path);
}

/**
 * Picks the trust anchor, profile and role ARNs from loaded stack outputs. `required` lists the
 * kinds that must be present (those not given another way). Throws for a required kind missing
 * (naming it) and two outputs of the same kind (naming both).
 */
export function pickArns(
  { source, outputs }: LoadedStackOutputs,
  required: readonly RolesAnywhereArnKind[] = ROLES_ANYWHERE_ARN_KINDS
): StackOutputArns {
  const candidates: Record<RolesAnywhereArnKind, StackOutputPick[]> = { trustAnchorArn: [], profileArn: [], roleArn: [] };
  outputs.forEach((output, index) => {
    const value = typeof output.OutputValue === 'string' ? output.OutputValue.trim() : '';
    const kind = arnKindOrUndefined(value);
    if (kind) candidates[kind].push({ value, outputKey: output.OutputKey ?? `Outputs[${index}]` });
  });
  const missing = required.filter((kind) => candidates[kind].length === 0);
  if (missing.length > 0) {
    throw messages.createError('error.StackOutputsMissingArn', [
      source,
      missing.map((kind) => KIND_NAMES[kind]).join(', '),
    ]);
  }
  const ambiguous = required.find((kind) => candidates[kind].length > 1);
  if (ambiguous) {
    const keys = candidates[ambiguous].map((pick) => pick.outputKey).join(', ');
    throw messages.createError('error.StackOutputsAmbiguous', [source, KIND_NAMES[ambiguous], keys]);
  }
  // A kind nobody asked for is reported only when it is unambiguous.
  const picks: StackOutputArns = {};
  for (const kind of ROLES_ANYWHERE_ARN_KINDS) {
    if (candidates[kind].length === 1) picks[kind] = candidates[kind][0];
  }
  return picks;
}

/** parseStackOutputs then pickArns, for describe-stacks text in hand. */
export function pickArnsFromStackOutputs(
  text: string,
  source: string,
  required?: readonly RolesAnywhereArnKind[]
): StackOutputArns {
  return pickArns(parseStackOutputs(text, source), required);
}

/** The guide's stack also outputs its Private CA (`CACertificateAuthority`) and ACM certificate (`Certificate`). */
export type PrivateCertificateArns = { certificateAuthorityArn?: StackOutputPick; acmCertificateArn?: StackOutputPick };

/** The Private CA and ACM certificate ARNs among the outputs, by what they are; absent when none or several. */
export function pickPrivateCertificateArns(outputs: StackOutput[]): PrivateCertificateArns {
  const found: Record<keyof PrivateCertificateArns, StackOutputPick[]> = { certificateAuthorityArn: [], acmCertificateArn: [] };
  outputs.forEach((output, index) => {
    const value = typeof output.OutputValue === 'string' ? output.OutputValue.trim() : '';
    if (!value.startsWith('arn:')) return;
    let arn;
    try {
      arn = parseArn(value);
    } catch {
      return;
    }
    const pick = { value, outputKey: output.OutputKey ?? `Outputs[${index}]` };
    // a Private CA's own certificate ARN is certificate-authority/ID/certificate/SERIAL: not the CA
    if (arn.service === 'acm-pca' && arn.resourceType === 'certificate-authority' && !arn.resourceId.includes('/')) {
      found.certificateAuthorityArn.push(pick);
    }
    if (arn.service === 'acm' && arn.resourceType === 'certificate') found.acmCertificateArn.push(pick);
  });
  const picks: PrivateCertificateArns = {};
  if (found.certificateAuthorityArn.length === 1) picks.certificateAuthorityArn = found.certificateAuthorityArn[0];
  if (found.acmCertificateArn.length === 1) picks.acmCertificateArn = found.acmCertificateArn[0];
  return picks;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw messages.createError('error.StackOutputsNotJson', [source, printable((error as Error).message)]);
  }
}

/** Accepts the whole describe-stacks document, one stack, or the bare Outputs array. */
function outputsOf(json: unknown, source: string): StackOutput[] {
  let candidate: unknown = json;
  if (isRecord(candidate) && Array.isArray(candidate.Stacks)) {
    if (candidate.Stacks.length !== 1) {
      throw messages.createError('error.StackOutputsStackCount', [source, candidate.Stacks.length]);
    }
    candidate = candidate.Stacks[0] as unknown;
  }
  if (isRecord(candidate) && 'Outputs' in candidate) {
    candidate = candidate.Outputs;
  }
  if (!Array.isArray(candidate) || !candidate.every(isRecord)) {
    throw messages.createError('error.StackOutputsNoOutputs', [source]);
  }
  return candidate as StackOutput[];
}

function arnKindOrUndefined(value: string): RolesAnywhereArnKind | undefined {
  if (!value.startsWith('arn:')) return undefined;
  try {
    return rolesAnywhereKindOf(parseArn(value));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
