/*
 * Does the org hold the same component as the project would deploy? Compared by meaning, not bytes:
 * the org drops comments (our generated marker) and may order repeated elements its own way
 * [inferred: element order of a retrieve is not documented], so both sides are reduced to sorted
 * `path = value` lines. The same lines give the short diff shown for a conflict. Pure.
 */
import type { Service } from '../metadata/constants.js';
import { parseMetadataXml } from '../metadata/xml.js';

/** One line per leaf value, sorted: equal lists mean equal components. */
export function canonicalLines(xml: string): string[] {
  const doc = parseMetadataXml(xml);
  const lines: string[] = [];
  for (const [root, body] of Object.entries(doc)) {
    if (root.startsWith('?')) continue;
    flatten(root, body, lines);
  }
  return lines.sort();
}

export function sameComponent(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalLines(a).join('\n') === canonicalLines(b).join('\n');
}

/** Lines only the org has (`- `) and lines only the wanted version has (`+ `), at most `max` of them. */
export function shortDiff(orgXml: string, wantedXml: string, max = 8): string[] {
  const org = canonicalLines(orgXml);
  const wanted = canonicalLines(wantedXml);
  const onlyOrg = org.filter((line) => !wanted.includes(line)).map((line) => `- ${line}`);
  const onlyWanted = wanted.filter((line) => !org.includes(line)).map((line) => `+ ${line}`);
  const all = [...onlyOrg, ...onlyWanted];
  return all.length > max ? [...all.slice(0, max), `  (${all.length - max} more)`] : all;
}

/** A value of one element, for plan rows (e.g. the named credential's url); first match. */
export function elementValue(xml: string | undefined, path: string): string | undefined {
  if (!xml) return undefined;
  const line = canonicalLines(xml).find((l) => l.startsWith(`${path} = `));
  return line?.slice(path.length + 3);
}

function flatten(path: string, value: unknown, out: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    // Repeated elements are a set here: identify each by its own sorted content, not its position.
    for (const item of value) flatten(`${path}[${identity(item)}]`, item, out);
    return;
  }
  if (typeof value === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (key.startsWith('@_') || key.startsWith('#xml__comment')) continue;
      flatten(key === '#text' ? path : `${path}.${key}`, child, out);
    }
    return;
  }
  const text = String(value).trim();
  if (text !== '') out.push(`${path} = ${text}`);
}

/** A short key for one repeated element: its name-like child if it has one (parameterName, externalCredentialPrincipal...). */
function identity(item: unknown): string {
  if (item && typeof item === 'object') {
    const entries = Object.entries(item as Record<string, unknown>).filter(([k]) => !k.startsWith('@_') && !k.startsWith('#xml'));
    const named = entries.find(([k]) => /name$/i.test(k) || k === 'externalCredentialPrincipal');
    if (named) return `${named[0]}=${String(named[1])}`;
    return entries.map(([k, v]) => `${k}=${typeof v === 'object' ? '…' : String(v)}`).sort().join(',');
  }
  return String(item);
}

/** The service an external credential's or named credential's XML points at. */
export function serviceOf(xml: string | undefined): Service | undefined {
  if (!xml) return undefined;
  const lines = canonicalLines(xml);
  const service = lines.find((l) => l.includes('[parameterName=AwsService].parameterValue = '))?.split(' = ')[1];
  if (service === 'sts' || service === 's3') return service;
  const url = lines.find((l) => / = https:\/\/(sts|s3)\./.test(l));
  const match = url ? /https:\/\/(sts|s3)\./.exec(url) : null;
  return match ? (match[1] as Service) : undefined;
}
