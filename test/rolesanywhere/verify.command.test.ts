/*
 * `sf iamra aws verify` in-process against the local verifying endpoint: every local refusal and
 * every service error of issue 5 is a row, asserting the error name, the message, the actions, that
 * no stack trace and no secret reaches the output, and whether a request was sent at all.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { tempDir } from '../helpers/tempProject.js';
import Verify, { type IamraAwsVerifyResult } from '../../src/commands/iamra/aws/verify.js';
import { STACK_TRACE } from '../helpers/sfCli.js';
import { runInProcess } from '../helpers/runInProcess.js';
import { ARN, PASSPHRASE, pki, ROLE_NAME, STOREPASS } from '../helpers/fixtures.js';
import { withFlag, withoutFlag } from '../helpers/argv.js';
import { ISSUED, type VerifyingEndpoint } from './endpoint/verifyingEndpoint.js';
import { goodArgs, newEndpoint } from './world.js';

type Row = {
  name: string;
  args: (e: VerifyingEndpoint) => string[];
  env?: Record<string, string>;
  /** Adjusts the endpoint for this row only. */
  setup?: (e: VerifyingEndpoint) => void;
  error: string;
  message: RegExp;
  actions?: RegExp;
  /** No request reaches the endpoint (refused locally, or the connection itself failed). */
  local?: boolean;
};

const tmp = tempDir('iamra-verify-').dir;
const stackOutputs = join(tmp, 'stack.json');
writeFileSync(
  stackOutputs,
  JSON.stringify({
    Stacks: [
      {
        Outputs: [
          { OutputKey: 'TrustAnchorArn', OutputValue: ARN.anchor },
          { OutputKey: 'ProfileArn', OutputValue: ARN.profile },
          { OutputKey: 'RoleArn', OutputValue: ARN.role },
        ],
      },
    ],
  })
);

const rows: Row[] = [
  // --- local checks: nothing is sent ---
  {
    name: 'RSA 1024 key',
    args: (e) => withFlag(withFlag(goodArgs(e), '--certificate', pki('leaf-rsa1024.pem')), '--private-key', pki('leaf-rsa1024.key.pem')),
    error: 'UnsupportedKeyTypeError',
    message: /RSA 1024.*at least 2048 bits or EC keys on P-256 or P-384/,
    local: true,
  },
  {
    name: 'leaf is a CA',
    args: (e) => withFlag(goodArgs(e), '--certificate', pki('leaf-ca.pem')),
    error: 'LeafIsCaError',
    message: /CA certificate/,
    local: true,
  },
  {
    name: 'leaf without digitalSignature',
    args: (e) => withFlag(goodArgs(e), '--certificate', pki('leaf-no-digital-signature.pem')),
    error: 'NoDigitalSignatureError',
    message: /digitalSignature/,
    local: true,
  },
  {
    name: 'SHA-1 signed leaf',
    args: (e) => withFlag(goodArgs(e), '--certificate', pki('leaf-sha1.pem')),
    error: 'WeakSignatureError',
    message: /SHA-1/i,
    local: true,
  },
  {
    name: 'expired leaf',
    args: (e) => withFlag(goodArgs(e), '--certificate', pki('leaf-expired.pem')),
    error: 'ExpiredError',
    message: /expired/,
    local: true,
  },
  {
    name: 'leaf not yet valid',
    args: (e) => withFlag(goodArgs(e), '--certificate', pki('leaf-not-yet-valid.pem')),
    error: 'NotYetValidError',
    message: /valid/,
    local: true,
  },
  {
    name: 'key does not match the certificate',
    args: (e) => withFlag(goodArgs(e), '--certificate', pki('leaf-rsa3072.pem')),
    error: 'KeyDoesNotMatchError',
    message: /leaf-rsa3072\.pem/,
    local: true,
  },
  {
    name: 'intermediates that do not chain to the leaf',
    args: (e) => withFlag(goodArgs(e), '--intermediates', pki('other-root-ca.pem')),
    error: 'ForeignCertificateError',
    message: /other-root-ca|other/i,
    local: true,
  },
  {
    name: 'chain not under --trust-anchor-certificate',
    args: (e) => [...goodArgs(e), '--trust-anchor-certificate', pki('other-root-ca.pem')],
    error: 'NotUnderTrustAnchorError',
    message: /does not reach the trust anchor's CA/,
    actions: /--intermediates/,
    local: true,
  },
  {
    name: 'trust anchor and profile in different regions',
    args: (e) => withFlag(goodArgs(e), '--profile-arn', ARN.profileEast),
    error: 'RegionMismatchError',
    message: /us-west-2[\s\S]*us-east-1|us-east-1[\s\S]*us-west-2/,
    local: true,
  },
  {
    name: 'no ARNs and no --stack-outputs',
    args: (e) => withoutFlag(withoutFlag(goodArgs(e), '--role-arn'), '--profile-arn'),
    error: 'ArnsMissingError',
    message: /--profile-arn, --role-arn/,
    actions: /--stack-outputs/,
    local: true,
  },
  {
    name: 'endpoint with a path',
    args: (e) => withFlag(goodArgs(e), '--endpoint', `${e.url}/prefix`),
    error: 'EndpointHasPathError',
    message: /\/prefix.*\/sessions/,
    local: true,
  },
  {
    name: 'encrypted key without a passphrase (no prompt outside a terminal)',
    args: (e) => withFlag(goodArgs(e), '--private-key', pki('leaf-rsa2048.key.aes256.pem')),
    error: 'KeyPassphraseMissingError',
    message: /aes256/,
    actions: /IAMRA_KEY_PASSPHRASE/,
    local: true,
  },
  {
    name: 'wrong key passphrase',
    args: (e) => withFlag(goodArgs(e), '--private-key', pki('leaf-rsa2048.key.aes256.pem')),
    env: { IAMRA_KEY_PASSPHRASE: 'not-the-passphrase' },
    error: 'WrongKeyPassphraseError',
    message: /aes256/,
    local: true,
  },
  // --- service errors, diagnosed ---
  {
    name: 'trust anchor with another CA: Untrusted signing certificate',
    args: (e) => withFlag(goodArgs(e), '--trust-anchor-arn', ARN.anchorOtherCa),
    error: 'UntrustedCertificateError',
    message: /AccessDeniedException: Untrusted signing certificate \(HTTP 403\).*does not reach a CA in the trust anchor/,
    actions: /--intermediates[\s\S]*enable-trust-anchor/,
  },
  {
    name: 'intermediate missing: Untrusted signing certificate',
    args: (e) => withoutFlag(goodArgs(e), '--intermediates'),
    error: 'UntrustedCertificateError',
    message: /Untrusted signing certificate/,
  },
  {
    name: 'disabled trust anchor: Untrusted signing certificate',
    args: (e) => withFlag(goodArgs(e), '--trust-anchor-arn', ARN.anchorDisabled),
    error: 'UntrustedCertificateError',
    message: /Untrusted signing certificate.*or the trust anchor is disabled/,
  },
  {
    name: 'signed for another region: Invalid signature',
    args: (e) => [...goodArgs(e), '--region', 'eu-central-1'],
    error: 'InvalidSignatureError',
    message: /AccessDeniedException: Invalid signature/,
    actions: /region eu-central-1/,
  },
  {
    name: 'clock 40 minutes behind AWS',
    args: (e) => goodArgs(e),
    setup: (e) => Object.assign(e.config, { now: (): Date => new Date(Date.now() + 40 * 60_000) }),
    error: 'ClockSkewError',
    message: /Invalid signature.*clock differs from AWS's by about 40 minutes \(AWS's clock is ahead/,
    actions: /NTP/,
  },
  {
    name: 'role trust policy does not allow Roles Anywhere',
    args: (e) => withFlag(goodArgs(e), '--role-arn', ARN.roleNoTrust),
    error: 'RoleTrustPolicyError',
    message: /AccessDeniedException: .*NoRolesAnywhereTrust.*rolesanywhere\.amazonaws\.com/,
    actions: /"sts:AssumeRole",\s*"sts:TagSession",\s*"sts:SetSourceIdentity"[\s\S]*"aws:PrincipalTag\/x509Subject\/CN": "leaf-rsa2048"/,
  },
  {
    name: 'role trust policy condition on another subject',
    args: (e) => withFlag(goodArgs(e), '--role-arn', ARN.roleOtherCn),
    error: 'RoleTrustPolicyError',
    message: /OnlyForOtherCn/,
  },
  {
    name: 'profile does not list the role',
    args: (e) => withFlag(goodArgs(e), '--profile-arn', ARN.profileNoRoles),
    error: 'RoleNotInProfileError',
    message: /AccessDeniedException: Profile does not allow role .*not one of the roles of profile/,
    actions: /update-profile --profile-id bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb --role-arns/,
  },
  {
    name: 'duration above the profile limit',
    args: (e) => withFlag(goodArgs(e), '--session-duration', '7200'),
    error: 'DurationAboveProfileLimitError',
    message: /ValidationException: .*asked for 7200 seconds/,
    actions: /--duration-seconds/,
  },
  {
    name: 'unknown profile',
    args: (e) => withFlag(goodArgs(e), '--profile-arn', ARN.profileUnknown),
    error: 'ResourceNotFoundError',
    message: /ResourceNotFoundException: Profile not found \(HTTP 404\)/,
  },
  {
    name: 'profile does not accept a role session name',
    args: (e) => [...goodArgs(e), '--role-session-name', 'admin'],
    error: 'ServiceError',
    message: /ValidationException: Profile does not accept a role session name/,
  },
  {
    name: 'nothing listening: network error',
    args: (e) => withFlag(goodArgs(e), '--endpoint', 'http://127.0.0.1:9'),
    error: 'NetworkError',
    message: /127\.0\.0\.1:9 cannot be reached: ECONNREFUSED/,
    actions: /HTTPS_PROXY/,
    local: true,
  },
  {
    name: 'TLS to a plain HTTP server: TLS error',
    args: (e) => withFlag(goodArgs(e), '--endpoint', e.url.replace('http:', 'https:')),
    error: 'TlsError',
    message: /TLS connection to 127\.0\.0\.1:\d+ failed/,
    local: true,
  },
];

describe('sf iamra aws verify (in-process, local verifying endpoint)', () => {
  let endpoint: VerifyingEndpoint;
  before(async () => {
    endpoint = await newEndpoint().start();
  });
  after(() => endpoint.stop());

  it('reports assumed role, subject and expiry for a PEM pair with intermediates, and no secret', async () => {
    const run = await runInProcess<IamraAwsVerifyResult>(Verify, goodArgs(endpoint));
    expect(run.error).to.equal(undefined);
    expect(run.result?.assumedRoleArn).to.equal(`arn:aws:sts::123456789012:assumed-role/${ROLE_NAME}/1001`);
    expect(run.result?.subjectArn).to.match(/^arn:aws:rolesanywhere:us-west-2:123456789012:subject\//);
    expect(Date.parse(run.result!.expiration) - Date.now()).to.be.within(3_500_000, 3_700_000);
    expect(run.result?.certificate).to.deep.include({ keyType: 'RSA 2048', intermediates: 1 });
    expect(run.stdout).to.include(`assumed-role/${ROLE_NAME}`).and.include('Credentials expire');
    const everything = JSON.stringify(run.result) + run.stdout + run.stderr;
    for (const secret of [ISSUED.secretAccessKey, ISSUED.sessionToken, ISSUED.accessKeyId]) expect(everything).not.to.include(secret);
    // what the endpoint received: the signed chain carries the intermediate only, never the root
    const last = endpoint.received[endpoint.received.length - 1];
    expect((last.headers['x-amz-x509-chain'] as string).split(',')).to.have.length(1);
  });

  for (const [name, args, env] of [
    ['an EC P-256 key', (e: VerifyingEndpoint): string[] => withFlag(withFlag(goodArgs(e), '--certificate', pki('leaf-ec-p256.pem')), '--private-key', pki('leaf-ec-p256.key.pem')), {}],
    ['an encrypted key (passphrase from the environment)', (e: VerifyingEndpoint): string[] => withFlag(goodArgs(e), '--private-key', pki('leaf-rsa2048.key.scrypt.pem')), { IAMRA_KEY_PASSPHRASE: PASSPHRASE }],
    ['a PKCS#12 (password from a file)', (e: VerifyingEndpoint): string[] => ['--pkcs12', pki('leaf-rsa2048.p12'), '--key-passphrase-file', pki('passphrase.txt'), ...goodArgs(e).slice(6)], {}],
    ['the keystore built for Salesforce (password from the environment)', (e: VerifyingEndpoint): string[] => ['--keystore', pki('jks/keytool-good.jks'), ...goodArgs(e).slice(6)], { IAMRA_KEYSTORE_PASSWORD: STOREPASS }],
    ['ARNs from --stack-outputs', (e: VerifyingEndpoint): string[] => [...goodArgs(e).slice(0, 6), '--stack-outputs', stackOutputs, '--endpoint', e.url], {}],
    ['a matching --trust-anchor-certificate', (e: VerifyingEndpoint): string[] => [...goodArgs(e), '--trust-anchor-certificate', pki('root-ca.pem')], {}],
  ] as const) {
    it(`succeeds with ${name}`, async () => {
      const run = await runInProcess<IamraAwsVerifyResult>(Verify, [...args(endpoint)], { ...env });
      expect(run.error?.message).to.equal(undefined);
      expect(run.result?.assumedRoleArn).to.match(/assumed-role\/APNPartnerCRMConnectorRole\//);
      for (const secret of [PASSPHRASE, STOREPASS, ISSUED.secretAccessKey, ISSUED.sessionToken]) {
        expect(run.stdout + run.stderr).not.to.include(secret);
      }
    });
  }

  for (const [what, args, message] of [
    ['no certificate source', ['--trust-anchor-arn', ARN.anchor], /Exactly one of the following must be provided: --certificate, --keystore, --pkcs12/],
    ['a certificate without its key', ['--certificate', pki('leaf-rsa2048.pem')], /--private-key/],
    ['a session duration below 900 s', ['--pkcs12', pki('leaf-rsa2048.p12'), '--session-duration', '60'], /900/],
  ] as const) {
    it(`refuses flags: ${what}`, async () => {
      const run = await runInProcess<IamraAwsVerifyResult>(Verify, [...args]);
      expect(run.error?.message).to.match(message);
      expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
    });
  }

  for (const row of rows) {
    it(`refuses: ${row.name}`, async () => {
      const savedNow = endpoint.config.now;
      row.setup?.(endpoint);
      const before = endpoint.received.length;
      const run = await runInProcess<IamraAwsVerifyResult>(Verify, row.args(endpoint), row.env);
      endpoint.config.now = savedNow;
      expect(run.error, 'should fail').to.not.equal(undefined);
      expect(run.error!.name).to.equal(row.error);
      expect(run.error!.message).to.match(row.message);
      if (row.actions) expect((run.error!.actions ?? []).join('\n')).to.match(row.actions);
      expect(run.stderr).to.include(row.error);
      expect(run.stderr).not.to.match(STACK_TRACE);
      expect(run.stdout + run.stderr).not.to.include(PASSPHRASE);
      expect(run.stdout + run.stderr).not.to.include('PRIVATE KEY');
      if (row.local) expect(endpoint.received.length, 'no request sent').to.equal(before);
      else expect(endpoint.received.length, 'one request sent').to.equal(before + 1);
    });
  }
});
