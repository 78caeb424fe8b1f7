/*
 * The simulated org's own request signing (independent of src/): SigV4-X509 for Roles Anywhere
 * CreateSession with the private key it holds for the signing certificate, and plain SigV4 (HMAC) with
 * the temporary credentials it received, for the callout itself. docs/rolesanywhere-signing.md describes
 * both; the local endpoints verify them byte for byte.
 */
import { createHash, createHmac, sign as rsaSign, type KeyObject, type X509Certificate } from 'node:crypto';

export type OutgoingRequest = { method: string; host: string; path: string; query: string; headers: Record<string, string>; body: string };

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** 20261201T120000Z */
export function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function uriEncode(value: string, keepSlash = false): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/') ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** name=value pairs, each side decoded then encoded the SigV4 way, sorted. */
export function canonicalQuery(query: string): string {
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=').map((part) => uriEncode(decodeURIComponent(part.replace(/\+/g, ' ')))))
    .map(([k, v = '']) => [k, v])
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function canonicalRequest(request: OutgoingRequest, signedHeaders: string[], path: string, payloadHash: string): string {
  const lower = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return [
    request.method,
    path,
    canonicalQuery(request.query),
    ...signedHeaders.map((name) => `${name}:${lower[name].trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/**
 * Plain SigV4 with temporary credentials: adds Host, X-Amz-Date, X-Amz-Security-Token,
 * X-Amz-Content-Sha256 and Authorization. S3 signs the path as sent; other services encode it again.
 */
export function signSigV4(
  request: OutgoingRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  scope: { region: string; service: string },
  now: Date
): OutgoingRequest {
  const date = amzDate(now);
  const payloadHash = sha256Hex(request.body);
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.host,
    'x-amz-date': date,
    'x-amz-content-sha256': payloadHash,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const signed = Object.keys(headers).map((k) => k.toLowerCase()).sort();
  const path = scope.service === 's3' ? request.path || '/' : uriEncode(request.path || '/', true);
  const canonical = canonicalRequest({ ...request, headers }, signed, path, payloadHash);
  const credentialScope = `${date.slice(0, 8)}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, credentialScope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date.slice(0, 8));
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return { ...request, headers };
}

/**
 * Roles Anywhere CreateSession signed SigV4-X509 (AWS4-X509-RSA-SHA256): the leaf in X-Amz-X509, the
 * rest of the chain in X-Amz-X509-Chain, the credential is the leaf's serial number in decimal.
 */
export function signCreateSession(
  input: { host: string; region: string; trustAnchorArn: string; profileArn: string; roleArn: string; durationSeconds: number },
  key: { privateKey: KeyObject; chain: X509Certificate[] },
  now: Date
): OutgoingRequest {
  const [leaf, ...rest] = key.chain;
  const date = amzDate(now);
  const body = JSON.stringify({ durationSeconds: input.durationSeconds });
  const query = new URLSearchParams({ profileArn: input.profileArn, roleArn: input.roleArn, trustAnchorArn: input.trustAnchorArn }).toString();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    host: input.host,
    'x-amz-date': date,
    'x-amz-x509': leaf.raw.toString('base64'),
    ...(rest.length ? { 'x-amz-x509-chain': rest.map((c) => c.raw.toString('base64')).join(',') } : {}),
  };
  const signed = Object.keys(headers).sort();
  const payloadHash = sha256Hex(body);
  const canonical = canonicalRequest({ method: 'POST', host: input.host, path: '/sessions', query, headers, body }, signed, '/sessions', payloadHash);
  const scope = `${date.slice(0, 8)}/${input.region}/rolesanywhere/aws4_request`;
  const stringToSign = ['AWS4-X509-RSA-SHA256', date, scope, sha256Hex(canonical)].join('\n');
  const signature = rsaSign('sha256', Buffer.from(stringToSign), key.privateKey).toString('hex');
  const serial = BigInt(`0x${leaf.serialNumber}`).toString();
  headers.authorization = `AWS4-X509-RSA-SHA256 Credential=${serial}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return { method: 'POST', host: input.host, path: '/sessions', query, headers, body };
}
