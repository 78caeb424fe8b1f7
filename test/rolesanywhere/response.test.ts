import { expect } from 'chai';
import { classifyServiceError, diagnoseServiceError } from '../../src/shared/rolesanywhere/diagnosis.js';
import { MALFORMED_RESPONSE, parseCreateSessionReply } from '../../src/shared/rolesanywhere/response.js';
import { credentialProcessJson } from '../../src/shared/rolesanywhere/credentialProcess.js';
import { loadVector } from './vectors.js';

const CANNED_201 = {
  credentialSet: [
    {
      assumedRoleUser: { arn: 'arn:aws:sts::123456789012:assumed-role/R/s', assumedRoleId: 'AROA:s' },
      credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secretEXAMPLE', sessionToken: 'tokenEXAMPLE', expiration: '2030-01-01T00:00:00Z' },
      packedPolicySize: 0,
      roleArn: 'arn:aws:iam::123456789012:role/R',
      sourceIdentity: 'CN=x',
    },
  ],
  subjectArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:subject/s',
};

const context = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/t',
  profileArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/p',
  roleArn: 'arn:aws:iam::123456789012:role/R',
  durationSeconds: 3600,
  region: 'us-west-2',
  endpoint: 'https://rolesanywhere.us-west-2.amazonaws.com',
  localNow: new Date('2026-01-01T00:00:00Z'),
};

describe('CreateSession reply parsing and diagnosis', () => {
  it('prints credential_process output byte for byte as AWS credential helper did for the same 201', () => {
    for (const name of ['rsa2048-chain', 'ec-p256'] as const) {
      const parsed = parseCreateSessionReply({ status: 201, headers: {}, body: JSON.stringify(CANNED_201) });
      expect(parsed.ok).to.equal(true);
      if (!parsed.ok) return;
      expect(JSON.stringify(credentialProcessJson(parsed.session.credentials))).to.equal(loadVector(name).credentialProcessOutput);
      expect(parsed.session).to.deep.include({ assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/R/s', subjectArn: CANNED_201.subjectArn });
    }
  });

  it('refuses a 201 with an empty credential set', () => {
    const parsed = parseCreateSessionReply({ status: 201, headers: {}, body: '{"credentialSet":[]}' });
    expect(parsed.ok).to.equal(false);
    if (!parsed.ok) expect(parsed.error.code).to.equal(MALFORMED_RESPONSE);
  });

  it('takes the code from X-Amzn-ErrorType up to ":", else body code/__type; the message from message/Message', () => {
    const cases: Array<[Record<string, string>, string, string, string]> = [
      [{ 'X-Amzn-ErrorType': 'AccessDeniedException:http://internal.amazon.com/coral/' }, '{"message":"Invalid signature"}', 'AccessDeniedException', 'Invalid signature'],
      [{}, '{"code":"ValidationException","Message":"bad"}', 'ValidationException', 'bad'],
      [{}, '{"__type":"com.amazonaws.rolesanywhere#ResourceNotFoundException","message":"nf"}', 'ResourceNotFoundException', 'nf'],
      [{}, 'Service Unavailable', 'HTTP503', 'Service Unavailable'],
    ];
    for (const [headers, body, code, message] of cases) {
      const parsed = parseCreateSessionReply({ status: 503, headers, body });
      expect(parsed.ok ? undefined : { code: parsed.error.code, message: parsed.error.message }).to.deep.equal({ code, message });
    }
  });

  it('classifies by message, and blames the clock first when the Date header is far off', () => {
    const reply = (status: number, code: string, message: string, serverDate?: Date): Parameters<typeof classifyServiceError>[0] => ({ status, code, message, serverDate });
    const now = context.localNow;
    expect(classifyServiceError(reply(403, 'AccessDeniedException', 'Untrusted signing certificate'), now)).to.equal('UntrustedCertificate');
    expect(classifyServiceError(reply(403, 'AccessDeniedException', 'Invalid signature', now), now)).to.equal('InvalidSignature');
    expect(classifyServiceError(reply(403, 'AccessDeniedException', 'Invalid signature', new Date(now.getTime() - 3_600_000)), now)).to.equal('ClockSkew');
    expect(classifyServiceError(reply(403, 'AccessDeniedException', 'Something new'), now)).to.equal('AccessDenied');
    expect(classifyServiceError(reply(500, 'InternalServerException', 'oops'), now)).to.equal('ServiceError');
    const error = diagnoseServiceError(reply(403, 'AccessDeniedException', 'Something new'), context);
    expect(error.name).to.equal('AccessDeniedError');
    expect(error.message).to.include('AccessDeniedException: Something new (HTTP 403)');
    expect(error.actions?.join('\n')).to.include('rolesanywhere.amazonaws.com');
  });
});
