/*
 * Drift: the credential set in the org against what the plugin would generate (metadata/builder.ts),
 * compared as metadata, not as text: parameters are matched by type and name, so the order Setup
 * writes them in does not count. Pure: two XML documents in, the differences out.
 */
import { XMLParser } from 'fast-xml-parser';

export type DriftKind = 'ExternalCredential' | 'NamedCredential' | 'PermissionSet';

export type Difference = {
  /** `AwsService`, `label`, `principal access AWS_IAM_Anywhere_Credential-IAMAW_Principal`, ... */
  item: string;
  /** What the org has; undefined when the org lacks it. */
  org?: string;
  /** What the plugin would generate; undefined when the plugin would not have it. */
  expected?: string;
  /** Labels and descriptions are cosmetic: they do not change what a callout does. */
  cosmetic: boolean;
};

const LIST_ELEMENTS = new Set(['externalCredentialParameters', 'namedCredentialParameters', 'externalCredentialPrincipalAccesses']);
const COSMETIC = new Set(['label', 'description']);
const PARAMETER_LISTS: Record<DriftKind, string | undefined> = {
  ExternalCredential: 'externalCredentialParameters',
  NamedCredential: 'namedCredentialParameters',
  PermissionSet: undefined,
};

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  isArray: (name): boolean => LIST_ELEMENTS.has(name),
});

type Node = Record<string, unknown>;

function root(xml: string, kind: string): Node {
  const doc = parser.parse(xml) as Record<string, unknown>;
  return (doc[kind] ?? {}) as Node;
}

const scalar = (value: unknown): string | undefined => (value === undefined || value === null || typeof value === 'object' ? undefined : String(value));

/** A parameter's identity (type and name) and what it says. */
function parameterKey(parameter: Node): string {
  return `${scalar(parameter.parameterType) ?? '?'} ${scalar(parameter.parameterName) ?? '?'}`;
}

function parameterValue(parameter: Node): string {
  return Object.keys(parameter)
    .filter((k) => k !== 'parameterType' && k !== 'parameterName')
    .sort()
    .map((k) => `${k}=${scalar(parameter[k]) ?? ''}`)
    .join(', ');
}

/** Differences between the org's component and the expected one (both metadata XML of `kind`). */
export function diffComponent(kind: DriftKind, orgXml: string, expectedXml: string): Difference[] {
  const org = root(orgXml, kind);
  const expected = root(expectedXml, kind);
  const differences: Difference[] = [];
  const list = PARAMETER_LISTS[kind];
  const keys = new Set([...Object.keys(expected), ...Object.keys(org)].filter((k) => !LIST_ELEMENTS.has(k)));
  for (const key of [...keys].sort()) {
    const have = scalar(org[key]);
    const want = scalar(expected[key]);
    if (have !== want) differences.push({ item: key, org: have, expected: want, cosmetic: COSMETIC.has(key) });
  }
  if (list) differences.push(...diffParameters((org[list] ?? []) as Node[], (expected[list] ?? []) as Node[]));
  if (kind === 'PermissionSet') {
    const accesses = (node: Node): Map<string, string> =>
      new Map(
        ((node.externalCredentialPrincipalAccesses ?? []) as Node[]).map((a) => [scalar(a.externalCredentialPrincipal) ?? '?', scalar(a.enabled) ?? ''])
      );
    differences.push(...diffMaps(accesses(org), accesses(expected), (name) => `principal access ${name}`));
  }
  return differences;
}

function diffParameters(org: Node[], expected: Node[]): Difference[] {
  const index = (list: Node[]): Map<string, string> => new Map(list.map((p) => [parameterKey(p), parameterValue(p)]));
  return diffMaps(index(org), index(expected), (key) => key);
}

function diffMaps(org: Map<string, string>, expected: Map<string, string>, label: (key: string) => string): Difference[] {
  const differences: Difference[] = [];
  for (const key of [...new Set([...expected.keys(), ...org.keys()])].sort()) {
    const have = org.get(key);
    const want = expected.get(key);
    if (have !== want) differences.push({ item: label(key), org: have, expected: want, cosmetic: false });
  }
  return differences;
}

/** One line per difference, for the table and --json. */
export function describeDifference(d: Difference): string {
  if (d.org === undefined) return `${d.item}: missing in the org (expected ${d.expected ?? ''})`;
  if (d.expected === undefined) return `${d.item}: in the org only (${d.org})`;
  return `${d.item}: org has ${d.org}, expected ${d.expected}`;
}

/** The parameters of a retrieved external credential, by name, for reading the set's inputs back. */
export function externalCredentialParameters(xml: string): Array<Record<string, string | undefined>> {
  const node = root(xml, 'ExternalCredential');
  return ((node.externalCredentialParameters ?? []) as Node[]).map((p) =>
    Object.fromEntries(Object.entries(p).map(([k, v]) => [k, scalar(v)]))
  );
}

export function namedCredentialParameters(xml: string): Array<Record<string, string | undefined>> {
  const node = root(xml, 'NamedCredential');
  return ((node.namedCredentialParameters ?? []) as Node[]).map((p) =>
    Object.fromEntries(Object.entries(p).map(([k, v]) => [k, scalar(v)]))
  );
}

export function permissionSetAccesses(xml: string): string[] {
  const node = root(xml, 'PermissionSet');
  return ((node.externalCredentialPrincipalAccesses ?? []) as Node[])
    .filter((a) => scalar(a.enabled) !== 'false')
    .map((a) => scalar(a.externalCredentialPrincipal) ?? '');
}

export function identityProviderEnabled(xml: string): { enabled: boolean; certificateName?: string } {
  const node = root(xml, 'IdentityProviderSettings');
  return { enabled: scalar(node.enableIdentityProvider) === 'true', certificateName: scalar(node.certificateName) };
}
