/*
 * A local AWS STS + S3 endpoint for tests that verifies every request as AWS does: the SigV4 signature
 * against the temporary credentials the local Roles Anywhere endpoint issued (test/rolesanywhere/endpoint,
 * sharing one `issued` list), the credential scope (region and service of the host the request names),
 * the session token and its expiry. It answers with AWS's own shapes: STS GetCallerIdentity XML with the
 * assumed-role ARN and `<ErrorResponse>` errors; S3 ListBuckets / HEAD bucket and S3 `<Error>` documents.
 * Which service and region a request is for comes from its Host header, the AWS hostname the caller
 * signed (sts.<region>.amazonaws.com, s3.<region>.amazonaws.com, <bucket>.s3.<region>.amazonaws.com).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type KnownCredential, type SigV4Refusal, verifySigV4 } from './sigv4Verifier.js';

/** Temporary credentials a Roles Anywhere CreateSession handed out, and whom they stand for. */
export type IssuedCredential = KnownCredential & { roleArn: string; assumedRoleArn: string; assumedRoleId: string };

export type BucketConfig = { name: string; region: string; /** roles allowed s3:ListBucket (HEAD, GET) on it */ readers: string[] };

export type ServicesConfig = {
  /** Shared with the Roles Anywhere endpoint: whatever it issued is accepted here, nothing else. */
  issued: IssuedCredential[];
  buckets?: BucketConfig[];
  /** Roles allowed s3:ListAllMyBuckets. */
  listBucketsRoles?: string[];
  now?: () => Date;
};

export type ServiceRequest = { method: string; host: string; url: string; service: 'sts' | 's3' | 'unknown'; status: number; code?: string };

/** Fresh temporary credentials in AWS's shapes (ASIA… access key, a long session token). */
export function newTemporaryCredentials(): Pick<KnownCredential, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'> {
  return {
    accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`,
  };
}

type Target = { service: 'sts'; region: string } | { service: 's3'; region: string; bucket?: string };

/** The AWS service and region a hostname names (the standard partition's hostnames). */
export function awsTargetOf(host: string): Target | undefined {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  if (name === 'sts.amazonaws.com') return { service: 'sts', region: 'us-east-1' };
  const sts = /^sts\.([a-z0-9-]+)\.amazonaws\.com$/.exec(name);
  if (sts) return { service: 'sts', region: sts[1] };
  const s3 = /^(?:(.+)\.)?s3[.-]([a-z0-9-]+)\.amazonaws\.com$/.exec(name);
  if (s3) return { service: 's3', region: s3[2], ...(s3[1] ? { bucket: s3[1] } : {}) };
  return undefined;
}

type Reply = { status: number; body: string; headers?: Record<string, string>; code?: string };

export class ServicesEndpoint {
  public readonly received: ServiceRequest[] = [];
  private server?: Server;

  public constructor(public config: ServicesConfig) {}

  public get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  public async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  public async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const host = String(req.headers.host ?? '');
    const target = awsTargetOf(host);
    const reply = target ? this.answer(target, req, body) : { status: 400, body: stsError('InvalidHostHeader', `Unknown AWS host ${host}`) };
    this.received.push({ method: req.method ?? '', host, url: req.url ?? '', service: target?.service ?? 'unknown', status: reply.status, code: reply.code });
    const contentType = target?.service === 's3' ? 'application/xml' : 'text/xml';
    res.writeHead(reply.status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID(), ...reply.headers });
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  }

  private answer(target: Target, req: IncomingMessage, body: Buffer): Reply {
    const now = this.config.now?.() ?? new Date();
    const outcome = verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
      { region: target.region, service: target.service, credentials: this.config.issued, now, singleEncodePath: target.service === 's3' }
    );
    if (!outcome.ok) return target.service === 'sts' ? stsRefusal(outcome.refusal, target.region) : s3Refusal(outcome.refusal, target.region);
    const caller = outcome.credential as IssuedCredential;
    return target.service === 'sts' ? this.sts(req, body, caller) : this.s3(target, req, caller);
  }

  private sts(req: IncomingMessage, body: Buffer, caller: IssuedCredential): Reply {
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const form = req.method === 'POST' ? new URLSearchParams(body.toString('utf8')) : new URLSearchParams();
    const action = form.get('Action') ?? query.get('Action');
    if (action !== 'GetCallerIdentity') {
      return { status: 400, code: 'InvalidAction', body: stsError('InvalidAction', `Could not find operation ${action ?? ''} for version NO_VERSION_SPECIFIED`) };
    }
    return { status: 200, body: getCallerIdentityXml(caller) };
  }

  private s3(target: Extract<Target, { service: 's3' }>, req: IncomingMessage, caller: IssuedCredential): Reply {
    const [path] = (req.url ?? '/').split('?');
    const bucketName = target.bucket ?? (decodeURIComponent(path.split('/')[1] ?? '') || undefined);
    const denied: Reply = { status: 403, code: 'AccessDenied', body: s3Error('AccessDenied', 'Access Denied') };
    if (!bucketName) {
      if (req.method !== 'GET') return { status: 405, code: 'MethodNotAllowed', body: s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.') };
      if (!(this.config.listBucketsRoles ?? []).includes(caller.roleArn)) return denied;
      return { status: 200, body: listBucketsXml(this.config.buckets ?? [], caller) };
    }
    const bucket = (this.config.buckets ?? []).find((b) => b.name === bucketName);
    if (!bucket) return { status: 404, code: 'NoSuchBucket', body: s3Error('NoSuchBucket', 'The specified bucket does not exist', `<BucketName>${bucketName}</BucketName>`) };
    if (bucket.region !== target.region) {
      return {
        status: 301,
        code: 'PermanentRedirect',
        headers: { 'x-amz-bucket-region': bucket.region },
        body: s3Error('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.'),
      };
    }
    if (!bucket.readers.includes(caller.roleArn)) return denied;
    if (req.method === 'HEAD') return { status: 200, body: '', headers: { 'x-amz-bucket-region': bucket.region } };
    return {
      status: 200,
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket.name}</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`,
    };
  }
}

/** STS's answers to each SigV4 refusal: status and wording as STS gives them. */
function stsRefusal(refusal: SigV4Refusal, region: string): Reply {
  const reply = (status: number, code: string, message: string): Reply => ({ status, code, body: stsError(code, message) });
  switch (refusal.code) {
    case 'AuthorizationHeaderMalformed':
      return refusal.scope?.region !== region
        ? reply(403, 'SignatureDoesNotMatch', 'Credential should be scoped to a valid region. ')
        : reply(403, 'SignatureDoesNotMatch', "Credential should be scoped to correct service: 'sts'. ");
    case 'InvalidToken':
      return reply(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    case 'ExpiredToken':
      return reply(400, 'ExpiredToken', 'The security token included in the request is expired');
    case 'RequestExpired':
      return reply(403, 'SignatureDoesNotMatch', `Signature expired: ${refusal.message}`);
    case 'MissingAuthenticationToken':
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
      return reply(403, refusal.code, refusal.message);
    default:
      return reply(400, refusal.code, refusal.message);
  }
}

/** S3's answers to the same refusals (S3 has its own codes for several). */
function s3Refusal(refusal: SigV4Refusal, region: string): Reply {
  const reply = (status: number, code: string, message: string): Reply => ({ status, code, body: s3Error(code, message) });
  switch (refusal.code) {
    case 'AuthorizationHeaderMalformed':
      return refusal.scope?.region !== region
        ? reply(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${refusal.scope?.region ?? ''}' is wrong; expecting '${region}'`)
        : reply(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; incorrect service '${refusal.scope.service}'. This endpoint belongs to 's3'.`);
    case 'InvalidClientTokenId':
      return reply(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    case 'InvalidToken':
      return reply(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    case 'ExpiredToken':
      return reply(400, 'ExpiredToken', 'The provided token has expired.');
    case 'RequestExpired':
      return reply(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    case 'MissingAuthenticationToken':
      return reply(403, 'AccessDenied', 'Access Denied');
    case 'XAmzContentSHA256Mismatch':
      return reply(400, refusal.code, refusal.message);
    default:
      return reply(403, refusal.code, refusal.message);
  }
}

export function stsError(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${escapeXml(message)}</Message>\n  </Error>\n  <RequestId>${randomUUID()}</RequestId>\n</ErrorResponse>\n`;
}

export function s3Error(code: string, message: string, extra = ''): string {
  const id = randomBytes(8).toString('hex').toUpperCase();
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}<RequestId>${id}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
}

/** GetCallerIdentity for an assumed-role session: the ARN and id Roles Anywhere issued. */
function getCallerIdentityXml(caller: IssuedCredential): string {
  const account = caller.roleArn.split(':')[4];
  return (
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n' +
    '  <GetCallerIdentityResult>\n' +
    `    <Arn>${caller.assumedRoleArn}</Arn>\n` +
    `    <UserId>${caller.assumedRoleId}</UserId>\n` +
    `    <Account>${account}</Account>\n` +
    '  </GetCallerIdentityResult>\n' +
    `  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n` +
    '</GetCallerIdentityResponse>\n'
  );
}

function listBucketsXml(buckets: BucketConfig[], caller: IssuedCredential): string {
  const entries = buckets.map((b) => `<Bucket><Name>${b.name}</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate></Bucket>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${caller.roleArn.split(':')[4]}</ID></Owner><Buckets>${entries}</Buckets></ListAllMyBucketsResult>`;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
