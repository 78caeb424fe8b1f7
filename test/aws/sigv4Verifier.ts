/*
 * Verifies plain AWS Signature Version 4 (HMAC-SHA256) requests for the local AWS test endpoints,
 * independently of src/: it re-derives the canonical request from the bytes that arrived, looks the
 * access key up among the credentials the endpoint knows (long-term keys, or the temporary ones the
 * Roles Anywhere endpoint issued, with their session token and expiry), and checks the credential
 * scope names the region and service the endpoint is. Refusals carry AWS's error codes.
 * docs/rolesanywhere-signing.md describes the signing steps this mirrors.
 */
import { createHash, createHmac } from 'node:crypto';

export type KnownCredential = {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials: the token the request must carry (X-Amz-Security-Token). */
  sessionToken?: string;
  expiration?: Date;
};

export type SignedRequest = {
  method: string;
  /** Path and query exactly as they arrived on the wire. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
};

export type SigV4Refusal = {
  code:
    | 'MissingAuthenticationToken'
    | 'IncompleteSignature'
    | 'InvalidClientTokenId'
    | 'SignatureDoesNotMatch'
    | 'ExpiredToken'
    | 'InvalidToken'
    | 'RequestExpired'
    | 'AuthorizationHeaderMalformed'
    | 'XAmzContentSHA256Mismatch';
  message: string;
  /** The region and service the request's credential scope named (AuthorizationHeaderMalformed), for the endpoint's own wording. */
  scope?: { region: string; service: string };
};

export type SigV4Outcome =
  | { ok: true; credential: KnownCredential; region: string; service: string }
  | { ok: false; refusal: SigV4Refusal };

export type VerifyOptions = {
  region: string;
  service: string;
  credentials: KnownCredential[];
  now?: Date;
  /** S3 signs the path as sent; every other service encodes it once more. */
  singleEncodePath?: boolean;
  maxSkewMs?: number;
};

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export function verifySigV4(request: SignedRequest, options: VerifyOptions): SigV4Outcome {
  const refuse = (code: SigV4Refusal['code'], message: string): SigV4Outcome => ({ ok: false, refusal: { code, message } });
  const authorization = header(request, 'authorization');
  if (!authorization) return refuse('MissingAuthenticationToken', 'Request is missing Authentication Token');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,\s]+), ?Signature=([0-9a-f]{64})$/.exec(
    authorization
  );
  if (!m) return refuse('IncompleteSignature', "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'");
  const [, accessKeyId, scopeDate, region, service, signedHeaders, signature] = m;
  const amzDate = header(request, 'x-amz-date');
  if (!amzDate || amzDate.slice(0, 8) !== scopeDate) return refuse('IncompleteSignature', 'X-Amz-Date is missing or does not match the credential scope date');
  if (region !== options.region || service !== options.service) {
    return {
      ok: false,
      refusal: {
        code: 'AuthorizationHeaderMalformed',
        message: `Credential should be scoped to a valid region and service: expected ${options.region}/${options.service}, got ${region}/${service}`,
        scope: { region, service },
      },
    };
  }
  const credential = options.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!credential) return refuse('InvalidClientTokenId', 'The security token included in the request is invalid.');
  const now = options.now ?? new Date();
  const sentAt = parseAmzDate(amzDate);
  if (!sentAt || Math.abs(now.getTime() - sentAt.getTime()) > (options.maxSkewMs ?? FIFTEEN_MINUTES)) {
    return refuse('RequestExpired', `Request has expired (X-Amz-Date ${amzDate})`);
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) return refuse('SignatureDoesNotMatch', 'The host header must be signed');
  const [rawPath, rawQuery = ''] = request.url.split('?');
  const path = options.singleEncodePath ? rawPath : encodePath(rawPath);
  const bodyHash = payloadHash(request);
  if (bodyHash === undefined) {
    return refuse('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const canonical = [
    request.method,
    path || '/',
    canonicalQuery(rawQuery),
    ...names.map((name) => `${name}:${(header(request, name) ?? '').trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders,
    bodyHash,
  ].join('\n');
  if (signatureFor(canonical, amzDate, [scopeDate, region, service], credential.secretAccessKey) !== signature) {
    return refuse(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'
    );
  }
  const tokenRefusal = checkSessionToken(request, credential, names, now);
  return tokenRefusal ? { ok: false, refusal: tokenRefusal } : { ok: true, credential, region, service };
}

/** The payload hash that is signed: the declared one (checked against the bytes that arrived, as S3 does), else the body's; undefined = mismatch. */
function payloadHash(request: SignedRequest): string | undefined {
  const actual = createHash('sha256').update(request.body).digest('hex');
  const declared = header(request, 'x-amz-content-sha256');
  if (declared === undefined || declared === 'UNSIGNED-PAYLOAD') return declared ?? actual;
  return declared === actual ? declared : undefined;
}

/** Temporary credentials are good only with their own session token, signed, before they expire. */
function checkSessionToken(request: SignedRequest, credential: KnownCredential, signed: string[], now: Date): SigV4Refusal | undefined {
  if (credential.sessionToken === undefined) return undefined;
  const token = header(request, 'x-amz-security-token');
  if (!token || token !== credential.sessionToken) return { code: 'InvalidToken', message: 'The provided token is malformed or otherwise invalid.' };
  if (credential.expiration && credential.expiration.getTime() <= now.getTime()) {
    return { code: 'ExpiredToken', message: 'The security token included in the request is expired' };
  }
  return undefined;
}

function signatureFor(canonical: string, amzDate: string, scope: string[], secretAccessKey: string): string {
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${scope.join('/')}/aws4_request`, sha256Hex(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, scope[0]);
  for (const part of [...scope.slice(1), 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
function uriEncode(s: string, keepSlash = false): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return UNRESERVED.test(c) || (keepSlash && c === '/') ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Non-S3 services: each segment of the (already encoded) path is encoded again. */
function encodePath(path: string): string {
  return uriEncode(path, true);
}

/** Decode what the client sent, re-encode each name and value, sort by name then value. */
function canonicalQuery(raw: string): string {
  return raw
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [k, v = ''] = pair.split('=');
      return [uriEncode(decodeURIComponent(k)), uriEncode(decodeURIComponent(v))];
    })
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}
