/*
 * A local IAM Roles Anywhere CreateSession endpoint for tests. Not a yes-machine: it re-derives
 * the canonical request from the bytes it received (independently of src/shared/rolesanywhere),
 * verifies the signature with the certificate in X-Amz-X509, walks X-Amz-X509-Chain + leaf up to
 * the trust anchor's CA, checks the ARNs against its configured trust anchors, profiles and roles,
 * and answers 201 with the real CreateSession shape or the real error shapes
 * (X-Amzn-ErrorType header, JSON `message`).
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type IssuedCredential, newTemporaryCredentials } from '../../aws/servicesEndpoint.js';

export type TrustAnchorConfig = { arn: string; caCertificates: X509Certificate[]; enabled?: boolean };
export type ProfileConfig = {
  arn: string;
  roleArns: string[];
  /** The profile's session duration setting; longer requests are refused. Default 3600. */
  durationSeconds?: number;
  acceptRoleSessionName?: boolean;
};
export type RoleConfig = {
  arn: string;
  /** Whether the trust policy lets rolesanywhere.amazonaws.com AssumeRole/TagSession/SetSourceIdentity. */
  trustsRolesAnywhere: boolean;
  /** A trust-policy condition on aws:PrincipalTag/x509Subject/CN. */
  requiredSubjectCN?: string;
};

export type EndpointConfig = {
  region: string;
  trustAnchors: TrustAnchorConfig[];
  profiles: ProfileConfig[];
  roles: RoleConfig[];
  /** The server's clock (to simulate a skewed client). */
  now?: () => Date;
  maxSkewMs?: number;
  /**
   * When given, every session gets fresh temporary credentials, recorded here for the local STS/S3
   * endpoint (test/aws/servicesEndpoint.ts) to accept; otherwise every session gets ISSUED.
   */
  issued?: IssuedCredential[];
};

export type ReceivedRequest = { method: string; url: string; headers: IncomingMessage['headers']; body: string };

export const ISSUED = {
  accessKeyId: 'ASIALOCALENDPOINT',
  secretAccessKey: 'local-endpoint-SECRET-do-not-print-1234567890',
  sessionToken: 'local-endpoint-SESSION-TOKEN-do-not-print-abcdefghijklmnopqrstuvwxyz',
};

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export class VerifyingEndpoint {
  public readonly received: ReceivedRequest[] = [];
  private server?: Server;

  public constructor(public config: EndpointConfig) {}

  public get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  public async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  public async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    this.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const now = this.config.now?.() ?? new Date();
    const headers: Record<string, string> = { 'content-type': 'application/json', date: now.toUTCString() };
    const outcome = this.decide(req, body, now);
    if ('refusal' in outcome) {
      const { status, errorType, message } = outcome.refusal;
      headers['x-amzn-errortype'] = `${errorType}:http://internal.amazon.com/coral/com.amazonaws.rolesanywhere/`;
      res.writeHead(status, headers).end(JSON.stringify({ message }));
    } else {
      res.writeHead(201, headers).end(JSON.stringify(outcome.session));
    }
  }

  /** The checks in the order the service would plausibly make them; the first failure answers. */
  private decide(req: IncomingMessage, body: string, now: Date): { refusal: Refusal } | { session: unknown } {
    const [path, rawQuery = ''] = (req.url ?? '').split('?');
    if (req.method !== 'POST' || path !== '/sessions') return { refusal: notFound(`No route for ${req.method ?? ''} ${path}`) };
    // A request addressed to rolesanywhere.<region>.amazonaws.com is for that region; its resources live
    // there only (an ARN names its region), so another region's trust anchor or profile is not found.
    const hostRegion = /^rolesanywhere\.([a-z0-9-]+)\.amazonaws\.com(:\d+)?$/.exec(header(req, 'host') ?? '')?.[1];
    const region = hostRegion ?? this.config.region;
    const signed = this.checkSignature(req, rawQuery, body, now, region);
    if ('refusal' in signed) return signed;
    const params = new URLSearchParams(rawQuery);
    const inRegion = (arn: string): boolean => !hostRegion || arn.split(':')[3] === hostRegion;
    const trustAnchor = this.config.trustAnchors.find((t) => t.arn === params.get('trustAnchorArn') && inRegion(t.arn));
    if (!trustAnchor) return { refusal: notFound('Trust anchor not found') };
    // a disabled anchor trusts nothing
    if (trustAnchor.enabled === false || !chainsToAnchor(signed.leaf, signed.chain, trustAnchor.caCertificates, now)) {
      return { refusal: deny('Untrusted signing certificate') };
    }
    const profile = this.config.profiles.find((p) => p.arn === params.get('profileArn') && inRegion(p.arn));
    if (!profile) return { refusal: notFound('Profile not found') };
    const roleArn = params.get('roleArn') ?? '';
    const duration = checkBody(body, profile);
    if (typeof duration !== 'number') return duration;
    if (!profile.roleArns.includes(roleArn)) return { refusal: deny(`Profile does not allow role ${roleArn}`) };
    const role = this.config.roles.find((r) => r.arn === roleArn);
    const cn = /(?:^|\n)CN=([^\n]+)/.exec(signed.leaf.subject)?.[1];
    if (!role?.trustsRolesAnywhere || (role.requiredSubjectCN && role.requiredSubjectCN !== cn)) {
      return { refusal: deny(`Unable to assume role for arn ${roleArn}`) };
    }
    return { session: this.sessionFor(trustAnchor.arn, roleArn, signed.leaf, cn, duration, now) };
  }

  /** Rebuilds the canonical request from what arrived and verifies it with the key in X-Amz-X509. */
  private checkSignature(
    req: IncomingMessage,
    rawQuery: string,
    body: string,
    now: Date,
    region: string
  ): { refusal: Refusal } | { leaf: X509Certificate; chain: X509Certificate[] } {
    const invalid = { refusal: deny('Invalid signature') };
    const auth = parseAuthorization(header(req, 'authorization'));
    const leafB64 = header(req, 'x-amz-x509');
    const amzDate = header(req, 'x-amz-date');
    if (!auth || !leafB64 || !amzDate) return invalid;
    let leaf: X509Certificate;
    let chain: X509Certificate[];
    try {
      leaf = new X509Certificate(Buffer.from(leafB64, 'base64'));
      const chainHeader = header(req, 'x-amz-x509-chain');
      chain = chainHeader ? chainHeader.split(',').map((c) => new X509Certificate(Buffer.from(c, 'base64'))) : [];
    } catch {
      return { refusal: deny('Untrusted signing certificate') };
    }
    const signedNames = auth.signedHeaders.split(';');
    if (!['host', 'x-amz-date', 'x-amz-x509'].every((name) => signedNames.includes(name))) return invalid;
    const canonical = [
      'POST',
      '/sessions',
      canonicalizeQuery(rawQuery),
      ...signedNames.map((name) => `${name}:${(header(req, name) ?? '').trim().replace(/ +/g, ' ')}`),
      '',
      auth.signedHeaders,
      createHash('sha256').update(body).digest('hex'),
    ].join('\n');
    const expectedScope = `${amzDate.slice(0, 8)}/${region}/rolesanywhere/aws4_request`;
    const expectedAlgorithm = leaf.publicKey.asymmetricKeyType === 'ec' ? 'AWS4-X509-ECDSA-SHA256' : 'AWS4-X509-RSA-SHA256';
    const stringToSign = [auth.algorithm, amzDate, auth.scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
    const sentAt = parseAmzDate(amzDate);
    const ok =
      auth.algorithm === expectedAlgorithm &&
      auth.serial === BigInt(`0x${leaf.serialNumber}`).toString() &&
      auth.scope === expectedScope &&
      verify('sha256', Buffer.from(stringToSign), leaf.publicKey, Buffer.from(auth.signature, 'hex')) &&
      sentAt !== undefined &&
      Math.abs(now.getTime() - sentAt.getTime()) <= (this.config.maxSkewMs ?? FIFTEEN_MINUTES);
    return ok ? { leaf, chain } : invalid;
  }

  private sessionFor(
    trustAnchorArn: string,
    roleArn: string,
    leaf: X509Certificate,
    cn: string | undefined,
    duration: number,
    now: Date
  ): unknown {
    const account = roleArn.split(':')[4];
    const roleName = roleArn.split('/').pop() ?? '';
    const expires = new Date(now.getTime() + duration * 1000);
    const expiration = expires.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const assumedRoleUser = {
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${leaf.serialNumber.toLowerCase()}`,
      assumedRoleId: `AROALOCAL:${leaf.serialNumber.toLowerCase()}`,
    };
    const credentials = this.config.issued ? newTemporaryCredentials() : ISSUED;
    this.config.issued?.push({ ...credentials, expiration: expires, roleArn, assumedRoleArn: assumedRoleUser.arn, assumedRoleId: assumedRoleUser.assumedRoleId });
    return {
      credentialSet: [
        {
          assumedRoleUser,
          credentials: { ...credentials, expiration },
          packedPolicySize: 0,
          roleArn,
          sourceIdentity: `CN=${cn ?? ''}`,
        },
      ],
      subjectArn: `${trustAnchorArn.replace(/:trust-anchor\/.*/, '')}:subject/41cl0bae-6783-40d4-ab20-65dc5d922e45`,
    };
  }
}

type Refusal = { status: number; errorType: string; message: string };
const deny = (message: string): Refusal => ({ status: 403, errorType: 'AccessDeniedException', message });
const notFound = (message: string): Refusal => ({ status: 404, errorType: 'ResourceNotFoundException', message });
const invalidInput = (message: string): Refusal => ({ status: 400, errorType: 'ValidationException', message });

/** The requested duration, or the refusal for a bad body, duration or unaccepted session name. */
function checkBody(body: string, profile: ProfileConfig): number | { refusal: Refusal } {
  let request: { durationSeconds?: unknown; roleSessionName?: unknown };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return { refusal: invalidInput('Request body is not valid JSON') };
  }
  const duration = typeof request.durationSeconds === 'number' ? request.durationSeconds : 3600;
  if (duration < 900 || duration > 43_200) {
    return {
      refusal: invalidInput(`1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint`),
    };
  }
  if (duration > (profile.durationSeconds ?? 3600)) {
    return { refusal: invalidInput(`Requested durationSeconds ${duration} exceeds the maximum session duration of the profile`) };
  }
  if (request.roleSessionName !== undefined && !profile.acceptRoleSessionName) {
    return { refusal: invalidInput('Profile does not accept a role session name') };
  }
  return duration;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

type ParsedAuthorization = { algorithm: string; serial: string; scope: string; signedHeaders: string; signature: string };

function parseAuthorization(value: string | undefined): ParsedAuthorization | undefined {
  const m = value && /^(\S+) Credential=(\d+)\/([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(value);
  return m ? { algorithm: m[1], serial: m[2], scope: m[3], signedHeaders: m[4], signature: m[5] } : undefined;
}

/** Decode, then re-encode each byte outside the SigV4 unreserved set, then sort: whatever the client did. */
function canonicalizeQuery(raw: string): string {
  const unreserved = /[A-Za-z0-9\-_.~]/;
  const encode = (s: string): string =>
    [...Buffer.from(s, 'utf8')]
      .map((b) => (unreserved.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
      .join('');
  return raw
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=').map((part) => encode(decodeURIComponent(part.replace(/\+/g, ' ')))))
    .map(([k, v = '']) => `${k}=${v}`)
    .sort()
    .join('&');
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

function chainsToAnchor(leaf: X509Certificate, chain: X509Certificate[], anchors: X509Certificate[], now: Date): boolean {
  const valid = (c: X509Certificate): boolean => new Date(c.validFrom) <= now && now <= new Date(c.validTo);
  const issued = (child: X509Certificate, parent: X509Certificate): boolean =>
    child.checkIssued(parent) && child.verify(parent.publicKey);
  let current = leaf;
  const pool = [...chain];
  for (let depth = 0; depth <= chain.length; depth++) {
    if (!valid(current)) return false;
    const anchor = anchors.find((a) => issued(current, a) && valid(a));
    if (anchor) return true;
    const next = pool.findIndex((c) => issued(current, c) && c.ca);
    if (next < 0) return false;
    current = pool.splice(next, 1)[0];
  }
  return false;
}
