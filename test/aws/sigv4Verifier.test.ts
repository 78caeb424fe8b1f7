import { expect } from 'chai';
import { verifySigV4, type SignedRequest } from './sigv4Verifier.js';

// AWS's published Signature Version 4 example (IAM ListUsers, 2015-08-30), as signed by AWS's own tooling.
const example: SignedRequest = {
  method: 'GET',
  url: '/?Action=ListUsers&Version=2010-05-08',
  headers: {
    host: 'iam.amazonaws.com',
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'x-amz-date': '20150830T123600Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
  },
  body: '',
};
const options = {
  region: 'us-east-1',
  service: 'iam',
  now: new Date('2015-08-30T12:36:00Z'),
  credentials: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }],
};

describe('test SigV4 verifier (local AWS endpoints)', () => {
  it("accepts AWS's published example request", () => {
    expect(verifySigV4(example, options)).to.include({ ok: true });
  });

  const refusals: Array<[string, Partial<SignedRequest> | undefined, Partial<typeof options> | undefined, string]> = [
    ['a changed query', { url: '/?Action=ListRoles&Version=2010-05-08' }, undefined, 'SignatureDoesNotMatch'],
    ['another secret key', undefined, { credentials: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wrong' }] }, 'SignatureDoesNotMatch'],
    ['an unknown access key', undefined, { credentials: [] }, 'InvalidClientTokenId'],
    ['a scope for another region', undefined, { region: 'us-west-2' }, 'AuthorizationHeaderMalformed'],
    ['a clock 20 minutes off', undefined, { now: new Date('2015-08-30T12:56:00Z') }, 'RequestExpired'],
    ['a payload hash header that is not the body\'s', { headers: { ...example.headers, 'x-amz-content-sha256': '0'.repeat(64) } }, undefined, 'XAmzContentSHA256Mismatch'],
    ['no Authorization header', { headers: { ...example.headers, authorization: undefined } }, undefined, 'MissingAuthenticationToken'],
  ];
  for (const [what, request, opts, code] of refusals) {
    it(`refuses ${what} with ${code}`, () => {
      const outcome = verifySigV4({ ...example, ...request }, { ...options, ...opts });
      expect(outcome.ok ? 'accepted' : outcome.refusal.code).to.equal(code);
    });
  }

  it('temporary credentials need their session token, unexpired', () => {
    const temporary = { ...options.credentials[0], sessionToken: 'TOKEN', expiration: new Date('2015-08-30T13:00:00Z') };
    const noToken = verifySigV4(example, { ...options, credentials: [temporary] });
    expect(noToken.ok ? 'accepted' : noToken.refusal.code).to.equal('InvalidToken');
  });
});
