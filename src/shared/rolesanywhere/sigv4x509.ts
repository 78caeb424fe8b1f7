/*
 * SigV4 with an X.509 certificate instead of an access key (AWS4-X509-RSA-SHA256 /
 * AWS4-X509-ECDSA-SHA256), as the IAM Roles Anywhere credential helper signs. Pure: the key,
 * the certificates and the time come in, headers and the debug texts go out.
 */
import { createHash, sign, type KeyObject, type X509Certificate } from 'node:crypto';

export type SigningAlgorithm = 'AWS4-X509-RSA-SHA256' | 'AWS4-X509-ECDSA-SHA256';

/** What gets signed. Header names lower case; `host` must equal the Host the transport sends. */
export type UnsignedRequest = {
  method: string;
  path: string;
  /** Query parameters; sorted and escaped here. */
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: string;
};

export type X509SigningIdentity = {
  key: KeyObject;
  leaf: X509Certificate;
  /** Intermediates only (no leaf, no root), in the order the user gave them. */
  intermediates: X509Certificate[];
};

export type SigningScope = { region: string; service: string; now: Date };

export type SignedRequest = {
  /** The request's headers plus x-amz-date, x-amz-x509(-chain) and authorization. */
  headers: Record<string, string>;
  /** `a=b&c=d` exactly as signed and as it must be sent. */
  query: string;
  /** For --debug: public data only (the certificate is public; no key material). */
  canonicalRequest: string;
  stringToSign: string;
};

export const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

/** Go's url.QueryEscape with `%20` for space: everything but A-Z a-z 0-9 - _ . ~ is escaped. */
export const awsUriEscape = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export const amzDate = (now: Date): string => now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function canonicalQueryString(query: Array<[string, string]>): string {
  return query
    .map(([k, v]) => [awsUriEscape(k), awsUriEscape(v)])
    .sort(([ak, av], [bk, bv]) => (ak === bk ? compare(av, bv) : compare(ak, bk)))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Trimmed, inner whitespace runs collapsed to one space (SigV4 header canonicalisation). */
export const canonicalHeaderValue = (value: string): string => value.trim().replace(/\s+/g, ' ');

export function signingAlgorithmFor(key: KeyObject): SigningAlgorithm {
  // P-384 keys still sign with SHA-256: the algorithm name fixes the hash, not the curve.
  return key.asymmetricKeyType === 'ec' ? 'AWS4-X509-ECDSA-SHA256' : 'AWS4-X509-RSA-SHA256';
}

export function credentialScope(date: string, region: string, service: string): string {
  return `${date.slice(0, 8)}/${region}/${service}/aws4_request`;
}

/** The certificate serial as the service expects it in `Credential=`: decimal. */
export const serialDecimal = (leaf: X509Certificate): string => BigInt('0x' + leaf.serialNumber).toString(10);

/** Builds the canonical request from headers whose names are already lower case. */
export function canonicalRequestText(
  request: Pick<UnsignedRequest, 'method' | 'path' | 'body'> & { query: string },
  headers: Record<string, string>,
  signedHeaderNames: string[]
): string {
  return [
    request.method,
    request.path,
    request.query,
    signedHeaderNames.map((name) => `${name}:${canonicalHeaderValue(headers[name])}`).join('\n'),
    '',
    signedHeaderNames.join(';'),
    sha256Hex(request.body),
  ].join('\n');
}

export function stringToSignText(algorithm: SigningAlgorithm, date: string, scope: string, canonical: string): string {
  return [algorithm, date, scope, sha256Hex(canonical)].join('\n');
}

/** Signs every header present (like the credential helper), after adding the X.509 headers. */
export function signX509Request(
  request: UnsignedRequest,
  identity: X509SigningIdentity,
  scope: SigningScope
): SignedRequest {
  const date = amzDate(scope.now);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers['x-amz-date'] = date;
  headers['x-amz-x509'] = identity.leaf.raw.toString('base64');
  if (identity.intermediates.length > 0) {
    headers['x-amz-x509-chain'] = identity.intermediates.map((c) => c.raw.toString('base64')).join(',');
  }
  const signedHeaderNames = Object.keys(headers).sort(compare);
  const query = canonicalQueryString(request.query);
  const canonicalRequest = canonicalRequestText({ ...request, query }, headers, signedHeaderNames);
  const algorithm = signingAlgorithmFor(identity.key);
  const credScope = credentialScope(date, scope.region, scope.service);
  const stringToSign = stringToSignText(algorithm, date, credScope, canonicalRequest);
  // The signer hashes the string to sign itself (never pre-hash); ECDSA as DER SEQUENCE{r,s}.
  const signature = sign('sha256', Buffer.from(stringToSign, 'utf8'), { key: identity.key, dsaEncoding: 'der' });
  headers.authorization =
    `${algorithm} Credential=${serialDecimal(identity.leaf)}/${credScope}, ` +
    `SignedHeaders=${signedHeaderNames.join(';')}, Signature=${signature.toString('hex')}`;
  return { headers, query, canonicalRequest, stringToSign };
}

/** Byte order, as Go's sort.Strings (localeCompare would differ for upper case). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
