/*
 * The AWS side of a test: the guide's stack (IAMAnywhere_Setup.yaml outputs), its Private CA and ACM
 * private certificate on the local control-plane endpoint, and the environment that points the real
 * SDK at it: fixture AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE in a temp dir, AWS_ENDPOINT_URL, and
 * AWS_EC2_METADATA_DISABLED so nothing ever asks 169.254.169.254. TEST-ONLY credentials.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, type TestCa } from '../helpers/testCa.js';
import { orgRig, type OrgRig } from '../org/e2e/orgProject.js';
import { testAwsAccount } from '../simulator/harness/testAws.js';
import { type AcmCertificateConfig, type CertificateAuthorityConfig, ControlPlaneEndpoint, type ControlPlaneConfig } from './controlPlaneEndpoint.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-west-2';
export const STACK = 'iamra-partner-crm';
export const CA_ARN = `arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/11111111-2222-3333-4444-555555555555`;
export const ACM_ARN = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/66666666-7777-8888-9999-000000000000`;
export const GUIDE_ARNS = {
  trustAnchor: `arn:aws:rolesanywhere:${REGION}:${ACCOUNT}:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789`,
  profile: `arn:aws:rolesanywhere:${REGION}:${ACCOUNT}:profile/1a1b2c3d-4e5f-6789-abcd-ef0123456789`,
  role: `arn:aws:iam::${ACCOUNT}:role/PartnerCrmRole`,
};
/** Long-term keys of the fixture profiles (test-only, known to the endpoint). */
export const KEYS = {
  default: { accessKeyId: 'AKIAIAMRATESTDEFAULT', secretAccessKey: 'iamra/test/default/secret/key/000000000000' },
  ci: { accessKeyId: 'AKIAIAMRATESTCIPROFL', secretAccessKey: 'iamra/test/ci/secret/key/11111111111111111' },
  /** Temporary credentials whose session ended an hour ago (the endpoint answers ExpiredToken). */
  expiredSession: {
    accessKeyId: 'ASIAIAMRATESTEXPIRED',
    secretAccessKey: 'iamra/test/expired/secret/key/22222222222',
    sessionToken: 'iamra-test-session-token-expired-333333333333',
    expiration: new Date(Date.now() - 3_600_000),
  },
};

/** The guide's outputs, keys as IAMAnywhere_Setup.yaml names them. */
export function guideOutputs(): ControlPlaneConfig['stacks'] {
  return [
    {
      name: STACK,
      region: REGION,
      status: 'CREATE_COMPLETE',
      outputs: [
        { OutputKey: 'aceintegrationta', OutputValue: GUIDE_ARNS.trustAnchor },
        { OutputKey: 'aceintegrationiamprofile', OutputValue: GUIDE_ARNS.profile },
        { OutputKey: 'aceintegrationrole', OutputValue: GUIDE_ARNS.role },
        { OutputKey: 'CACertificateAuthority', OutputValue: CA_ARN },
        { OutputKey: 'CACertificate', OutputValue: `${CA_ARN}/certificate/0123456789abcdef0123456789abcdef` },
        { OutputKey: 'Certificate', OutputValue: ACM_ARN },
      ],
    },
  ];
}

export type AwsWorld = {
  endpoint: ControlPlaneEndpoint;
  ca: TestCa;
  dir: string;
  /** Environment for sf (or this process) that reaches only the local endpoint. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
};

export type AwsWorldOptions = Partial<Omit<ControlPlaneConfig, 'accountId' | 'credentials'>> & {
  ca?: TestCa;
  /** Changes to the guide's ACM certificate; `expired` issues it with a validity that ended yesterday (ACM then says EXPIRED). */
  acmOverride?: Partial<AcmCertificateConfig> & { expired?: boolean };
  caStatus?: CertificateAuthorityConfig['status'];
  caUsageMode?: CertificateAuthorityConfig['usageMode'];
  /** The CA refuses every CSR as malformed. */
  rejectCsr?: boolean;
};

export async function awsWorld(options: AwsWorldOptions = {}): Promise<AwsWorld> {
  const ca = options.ca ?? createTestCa();
  const { acmOverride = {}, caStatus, caUsageMode, rejectCsr, ...config } = options;
  const { expired, ...override } = acmOverride;
  const day = 86_400_000;
  const leaf = ca.issueLeaf(
    'iamra.partner.example',
    expired ? { notBefore: new Date(Date.now() - 400 * day), notAfter: new Date(Date.now() - day) } : {}
  );
  const endpoint = await new ControlPlaneEndpoint({
    accountId: ACCOUNT,
    regions: [REGION, 'eu-west-1'],
    credentials: [KEYS.default, KEYS.ci, KEYS.expiredSession],
    stacks: guideOutputs(),
    certificateAuthorities: [{ arn: CA_ARN, ca, status: caStatus, usageMode: caUsageMode, rejectCsr }],
    acmCertificates: [
      {
        arn: ACM_ARN,
        type: 'PRIVATE',
        status: 'ISSUED',
        certificatePem: leaf.certificatePem,
        chainPem: ca.chainPem,
        privateKeyPem: leaf.privateKeyPem,
        certificateAuthorityArn: CA_ARN,
        ...(expired ? { status: 'EXPIRED' as const } : {}),
        ...override,
      },
    ],
    pendingPolls: 2,
    ...config,
  }).start();
  const dir = mkdtempSync(join(tmpdir(), 'iamra-aws-'));
  writeFileSync(join(dir, 'config'), `[default]\nregion = ${REGION}\n\n[profile ci]\nregion = eu-west-1\n\n[profile empty]\nregion = ${REGION}\n`);
  writeFileSync(
    join(dir, 'credentials'),
    `[default]\naws_access_key_id = ${KEYS.default.accessKeyId}\naws_secret_access_key = ${KEYS.default.secretAccessKey}\n\n` +
      `[ci]\naws_access_key_id = ${KEYS.ci.accessKeyId}\naws_secret_access_key = ${KEYS.ci.secretAccessKey}\n`
  );
  return {
    endpoint,
    ca,
    dir,
    env: {
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ENDPOINT_URL: endpoint.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    close: async () => {
      await endpoint.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A sandbox for CSR mode: its callouts reach a verifying Roles Anywhere endpoint whose trust anchor
 * trusts the world's Private CA only (the test PKI's keystore would be refused).
 */
export function orgTrustingStackCa(world: AwsWorld): Promise<OrgRig> {
  const trustAnchor = { arn: GUIDE_ARNS.trustAnchor, caCertificates: [new X509Certificate(world.ca.rootPem)] };
  return orgRig({
    orgType: 'sandbox',
    aws: testAwsAccount({ anchor: GUIDE_ARNS.trustAnchor, profile: GUIDE_ARNS.profile, role: GUIDE_ARNS.role }, { trustAnchors: [trustAnchor] }),
  });
}
