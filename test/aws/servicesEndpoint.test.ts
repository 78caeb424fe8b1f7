/*
 * The local STS + S3 endpoint answers as AWS does, and only to credentials the Roles Anywhere endpoint
 * issued: requests signed with the org simulator's SigV4 signer (test/simulator/callout/signing.ts), judged
 * by the independent verifier (sigv4Verifier.ts, checked against AWS's published example).
 */
import { request } from 'node:http';
import { expect } from 'chai';
import { signSigV4, type OutgoingRequest } from '../simulator/callout/signing.js';
import { type IssuedCredential, newTemporaryCredentials, ServicesEndpoint } from './servicesEndpoint.js';

const ROLE = 'arn:aws:iam::123456789012:role/Reader';
const OTHER = 'arn:aws:iam::123456789012:role/NoS3';
const issued = (roleArn: string, expiresInMs = 3_600_000): IssuedCredential => ({
  ...newTemporaryCredentials(),
  expiration: new Date(Date.now() + expiresInMs),
  roleArn,
  assumedRoleArn: `arn:aws:sts::123456789012:assumed-role/${roleArn.split('/').pop() ?? ''}/0a1b`,
  assumedRoleId: 'AROALOCAL:0a1b',
});

type Reply = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

function send(endpoint: ServicesEndpoint, signed: OutgoingRequest): Promise<Reply> {
  const url = new URL(endpoint.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: signed.method, path: `${signed.path}${signed.query ? `?${signed.query}` : ''}`, headers: signed.headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      }
    );
    req.on('error', reject);
    req.end(signed.body);
  });
}

const call = (method: string, host: string, path = '/', query = ''): OutgoingRequest => ({ method, host, path, query, headers: {}, body: '' });

describe('local STS + S3 endpoint (verifies SigV4 against the issued credentials)', () => {
  const reader = issued(ROLE);
  const noS3 = issued(OTHER);
  const expired = issued(ROLE, -1000);
  const endpoint = new ServicesEndpoint({
    issued: [reader, noS3, expired],
    buckets: [{ name: 'crm-data', region: 'us-west-2', readers: [ROLE] }],
    listBucketsRoles: [ROLE],
  });
  before(() => endpoint.start());
  after(() => endpoint.stop());

  const sts = (creds: IssuedCredential, scope = { region: 'us-west-2', service: 'sts' }, host = 'sts.us-west-2.amazonaws.com'): Promise<Reply> =>
    send(endpoint, signSigV4(call('GET', host, '/', 'Action=GetCallerIdentity&Version=2011-06-15'), creds, scope, new Date()));

  it('STS GetCallerIdentity: 200 with the assumed-role ARN of the issued session', async () => {
    const reply = await sts(reader);
    expect(reply.status).to.equal(200);
    expect(reply.body).to.include(`<Arn>${reader.assumedRoleArn}</Arn>`).and.include('<Account>123456789012</Account>');
  });

  const stsRefusals: Array<[string, () => Promise<Reply>, number, string]> = [
    ['credentials nobody issued', () => sts({ ...issued(ROLE) }), 403, 'InvalidClientTokenId'],
    ['another secret key', () => sts({ ...reader, secretAccessKey: 'wrong' }), 403, 'SignatureDoesNotMatch'],
    ['another session token', () => sts({ ...reader, sessionToken: 'forged' }), 403, 'InvalidClientTokenId'],
    ['an expired session', () => sts(expired), 400, 'ExpiredToken'],
    ['a scope for s3', () => sts(reader, { region: 'us-west-2', service: 's3' }), 403, "Credential should be scoped to correct service: 'sts'"],
    ['a scope for another region', () => sts(reader, { region: 'eu-west-1', service: 'sts' }), 403, 'Credential should be scoped to a valid region'],
  ];
  for (const [what, run, status, text] of stsRefusals) {
    it(`STS refuses ${what}: ${status} ${text}`, async () => {
      const reply = await run();
      expect(reply.status).to.equal(status);
      expect(reply.body).to.match(/^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/).and.include(text);
    });
  }

  const s3 = (creds: IssuedCredential, method: string, host: string, path = '/'): Promise<Reply> =>
    send(endpoint, signSigV4(call(method, host, path), creds, { region: 'us-west-2', service: 's3' }, new Date()));

  const s3Rows: Array<[string, () => Promise<Reply>, number, string | undefined]> = [
    ['ListBuckets for a role allowed to list', () => s3(reader, 'GET', 's3.us-west-2.amazonaws.com'), 200, '<ListAllMyBucketsResult'],
    ['ListBuckets for a role that may not', () => s3(noS3, 'GET', 's3.us-west-2.amazonaws.com'), 403, '<Code>AccessDenied</Code>'],
    ['HEAD bucket (virtual-hosted) for a reader', () => s3(reader, 'HEAD', 'crm-data.s3.us-west-2.amazonaws.com'), 200, undefined],
    ['HEAD bucket (path style) for a reader', () => s3(reader, 'HEAD', 's3.us-west-2.amazonaws.com', '/crm-data'), 200, undefined],
    ['HEAD bucket for a role without access', () => s3(noS3, 'HEAD', 'crm-data.s3.us-west-2.amazonaws.com'), 403, undefined],
    ['GET a bucket that does not exist', () => s3(reader, 'GET', 'nope.s3.us-west-2.amazonaws.com'), 404, '<Code>NoSuchBucket</Code>'],
    ['an expired session', () => s3(expired, 'GET', 's3.us-west-2.amazonaws.com'), 400, '<Code>ExpiredToken</Code>'],
    ['credentials nobody issued', () => s3(issued(ROLE), 'GET', 's3.us-west-2.amazonaws.com'), 403, '<Code>InvalidAccessKeyId</Code>'],
  ];
  for (const [what, run, status, text] of s3Rows) {
    it(`S3: ${what}: ${status}`, async () => {
      const reply = await run();
      expect(reply.status, reply.body).to.equal(status);
      if (text) expect(reply.body).to.include(text);
    });
  }

  it('S3 in another region than the bucket: 301 PermanentRedirect naming the bucket region', async () => {
    const signed = signSigV4(call('GET', 'crm-data.s3.eu-west-1.amazonaws.com'), reader, { region: 'eu-west-1', service: 's3' }, new Date());
    const reply = await send(endpoint, signed);
    expect(reply.status).to.equal(301);
    expect(reply.headers['x-amz-bucket-region']).to.equal('us-west-2');
  });
});
