/*
 * The test endpoint must itself be right before it can judge our client: it accepts the requests
 * AWS's own credential helper sent (RSA and ECDSA) and refuses each kind of tampering.
 */
import { request } from 'node:http';
import { expect } from 'chai';
import { loadVector, parseAmzDate, vectorMaterial, type Vector } from '../vectors.js';
import { VerifyingEndpoint } from './verifyingEndpoint.js';

type Reply = { status: number; errorType?: string; body: Record<string, unknown> };

function replay(endpoint: VerifyingEndpoint, v: Vector, tamper: (r: Vector['request']) => void = () => {}): Promise<Reply> {
  const captured = structuredClone(v.request);
  tamper(captured);
  const headers = Object.fromEntries(
    Object.entries(captured.headers).filter(([name]) => !['transfer-encoding', 'accept-encoding', 'user-agent'].includes(name))
  );
  return new Promise((resolve, reject) => {
    const url = new URL(endpoint.url);
    const req = request(
      { host: url.hostname, port: url.port, method: captured.method, path: `${captured.path}?${captured.query}`, headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            errorType: (res.headers['x-amzn-errortype'] as string | undefined)?.split(':')[0],
            body: JSON.parse(body) as Record<string, unknown>,
          })
        );
      }
    );
    req.on('error', reject);
    req.end(captured.body);
  });
}

function endpointFor(v: Vector): VerifyingEndpoint {
  const { root } = vectorMaterial(v);
  return new VerifyingEndpoint({
    region: v.inputs.region,
    now: () => parseAmzDate(v.xAmzDate),
    trustAnchors: [{ arn: v.inputs.trustAnchorArn, caCertificates: [root] }],
    profiles: [{ arn: v.inputs.profileArn, roleArns: [v.inputs.roleArn], durationSeconds: 3600 }],
    roles: [{ arn: v.inputs.roleArn, trustsRolesAnywhere: true }],
  });
}

describe('local verifying endpoint (judged by requests captured from AWS credential helper)', () => {
  for (const name of ['rsa2048-chain', 'ec-p256'] as const) {
    describe(name, () => {
      const v = loadVector(name);
      const endpoint = endpointFor(v);
      before(() => endpoint.start());
      after(() => endpoint.stop());

      it('accepts the captured request with 201 and the CreateSession shape', async () => {
        const reply = await replay(endpoint, v);
        expect(reply.status).to.equal(201);
        const set = reply.body.credentialSet as Array<{ credentials: Record<string, string>; assumedRoleUser: { arn: string } }>;
        expect(set[0].credentials).to.have.keys('accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration');
        expect(set[0].assumedRoleUser.arn).to.match(/^arn:aws:sts::123456789012:assumed-role\//);
      });

      const tamperings: Array<[string, (r: Vector['request']) => void, string]> = [
        ['a changed body', (r) => (r.body = r.body.replace(/\d+/, '1800')), 'Invalid signature'],
        ['a changed query', (r) => (r.query = r.query.replace('profileArn=', 'profileArn=x')), 'Invalid signature'],
        ['a changed signed header', (r) => (r.headers['x-amz-date'] = r.headers['x-amz-date'].replace(/(\d)Z$/, (_, d: string) => `${(Number(d) + 1) % 10}Z`)), 'Invalid signature'],
        ['another Host', (r) => (r.headers.host = '127.0.0.1:1'), 'Invalid signature'],
        [
          'a flipped signature byte',
          (r) => (r.headers.authorization = r.headers.authorization.replace(/Signature=(..)/, (_, b: string) => `Signature=${b === '00' ? '01' : '00'}`)),
          'Invalid signature',
        ],
      ];
      for (const [what, tamper, message] of tamperings) {
        it(`refuses ${what} with 403 AccessDeniedException "${message}"`, async () => {
          const reply = await replay(endpoint, v, tamper);
          expect(reply).to.deep.include({ status: 403, errorType: 'AccessDeniedException' });
          expect(reply.body.message).to.equal(message);
        });
      }

      it('refuses when the trust anchor holds another CA, or is disabled ("Untrusted signing certificate")', async () => {
        const { leaf } = vectorMaterial(v);
        endpoint.config.trustAnchors[0].caCertificates = [leaf];
        const foreign = await replay(endpoint, v);
        endpoint.config.trustAnchors[0] = { arn: v.inputs.trustAnchorArn, caCertificates: [vectorMaterial(v).root], enabled: false };
        const disabled = await replay(endpoint, v);
        endpoint.config.trustAnchors[0].enabled = true;
        for (const reply of [foreign, disabled]) {
          expect(reply).to.deep.include({ status: 403, errorType: 'AccessDeniedException' });
          expect(reply.body.message).to.equal('Untrusted signing certificate');
        }
      });

      it('refuses a request 20 minutes older than its clock', async () => {
        endpoint.config.now = (): Date => new Date(parseAmzDate(v.xAmzDate).getTime() + 20 * 60_000);
        const reply = await replay(endpoint, v);
        endpoint.config.now = (): Date => parseAmzDate(v.xAmzDate);
        expect(reply.status).to.equal(403);
      });
    });
  }
});
