/*
 * `sf iamra configure --preflight` end to end through the real sf binary, against the org simulator and
 * the local verifying IAM Roles Anywhere endpoint (--endpoint): a CreateSession the endpoint accepts
 * lets the whole run go ahead; one it refuses stops configure before the org or the project is touched.
 * The key is encrypted and its passphrase comes from IAMRA_KEY_PASSPHRASE, so no output may hold it.
 */
import { expect } from 'chai';
import { STACK_TRACE, type SfRun } from '../helpers/sfCli.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import { readTree } from '../helpers/tree.js';
import { importTestKeystore, orgRig, type OrgRig } from '../org/e2e/orgProject.js';
import { testAwsAccount } from '../simulator/harness/testAws.js';
import { ISSUED, type VerifyingEndpoint } from '../rolesanywhere/endpoint/verifyingEndpoint.js';
import { ARN, PASSPHRASE, pki } from '../helpers/fixtures.js';
import { withFlag } from '../helpers/argv.js';
import { goodArgs, newEndpoint } from '../rolesanywhere/world.js';

type ConfigureJson = {
  succeeded: boolean;
  service?: string;
  stages: Array<{ id: string; status: string }>;
  rollback: unknown[];
  preflight?: { assumedRoleArn: string; expiration: string };
  smoke?: { passed: boolean; httpStatus?: number; assumedRoleArn?: string };
  principalCredential?: { action: string; roleArn: string };
};

const STAGE_IDS = [
  'aws-preflight',
  'read-org',
  'deploy-sts',
  'deploy-changes',
  'role-arn',
  'permission-set',
  'smoke-test',
  'switch-to-s3',
  'verify',
];
/** On a fresh org the external credential is new: it goes through STS, so the in-place route's stages are skipped. */
const SKIPPED_ON_FRESH_ORG = new Set(['deploy-changes', 'verify']);

/** The certificate, encrypted key, chain, ARNs and --endpoint that the endpoint accepts, plus --preflight. */
const preflightArgs = (endpoint: VerifyingEndpoint): string[] => [
  ...withFlag(goodArgs(endpoint), '--private-key', pki('leaf-rsa2048.key.aes256.pem')),
  '--preflight',
];

const configure = (rig: OrgRig, args: string[]): Promise<SfRun> =>
  rig.run(['iamra', 'configure', ...args, '--json'], { IAMRA_KEY_PASSPHRASE: PASSPHRASE });

function expectNoSecretOrStackTrace(run: SfRun, rig: OrgRig): void {
  const all = run.stdout + run.stderr;
  for (const secret of [PASSPHRASE, ISSUED.secretAccessKey, ISSUED.sessionToken, rig.sim.accessToken, 'PRIVATE KEY']) {
    expect(all).not.to.include(secret);
  }
  expect(all).not.to.match(STACK_TRACE);
}

describe('sf iamra configure --preflight against the org simulator and the verifying Roles Anywhere endpoint (real sf)', () => {
  let endpoint: VerifyingEndpoint;
  let rig: OrgRig;
  before(async () => {
    endpoint = await newEndpoint().start();
  });
  beforeEach(async () => {
    // the org's callouts reach an AWS account with the same trust anchor, profile and role the pre-flight checks
    rig = await orgRig({
      orgType: 'sandbox',
      seed: importTestKeystore,
      aws: testAwsAccount(ARN),
    });
  });
  afterEach(async () => rig?.close());
  after(async () => endpoint?.stop());

  it('AWS accepts the certificate: the pre-flight is done, every stage runs, the smoke test passes, it ends on S3', async () => {
    const sessionsBefore = endpoint.received.length;
    const run = await configure(rig, preflightArgs(endpoint));
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as ConfigureJson;
    expect(result.succeeded).to.equal(true);
    expect(result.stages.map((s) => `${s.id}:${s.status}`)).to.deep.equal(STAGE_IDS.map((id) => `${id}:${SKIPPED_ON_FRESH_ORG.has(id) ? 'skipped' : 'succeeded'}`));
    expect(endpoint.received.length - sessionsBefore, 'CreateSession calls').to.equal(1);
    expect(result.preflight?.assumedRoleArn).to.match(/^arn:aws:sts::123456789012:assumed-role\/APNPartnerCRMConnectorRole\//);
    expect(result.principalCredential).to.deep.include({ action: 'created', roleArn: ARN.role });
    expect(result.smoke).to.deep.include({ passed: true, httpStatus: 200 });
    expect(result.smoke?.assumedRoleArn).to.match(/^arn:aws:sts::123456789012:assumed-role\/APNPartnerCRMConnectorRole\//);
    expect(result.service).to.equal('s3');
    expect(rig.sim.state.namedCredential('APN_API_Connection')?.url).to.equal('https://s3.us-west-2.amazonaws.com');
    expectMatchesSchema('iamra configure', result);
    expectNoSecretOrStackTrace(run, rig);
  });

  const refusals = [
    {
      name: 'the profile does not allow the role',
      args: (e: VerifyingEndpoint): string[] => withFlag(preflightArgs(e), '--profile-arn', ARN.profileNoRoles),
      errorName: 'RoleNotInProfileError',
      message: /is not one of the roles of profile/,
    },
    {
      name: 'the trust anchor holds another CA',
      args: (e: VerifyingEndpoint): string[] => withFlag(preflightArgs(e), '--trust-anchor-arn', ARN.anchorOtherCa),
      errorName: 'UntrustedCertificateError',
      message: /does not trust the certificate/,
    },
  ];
  for (const row of refusals) {
    it(`AWS refuses (${row.name}): configure stops with the pre-flight's error; org and project untouched`, async () => {
      const projectBefore = readTree(rig.projectDir, { directories: true, encoding: 'base64' });
      const sessionsBefore = endpoint.received.length;
      const requestsBefore = rig.sim.requests.length;
      const run = await configure(rig, row.args(endpoint));
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.json?.name).to.equal(row.errorName);
      expect(run.json?.message).to.match(/^Step "IAM Roles Anywhere pre-flight \(CreateSession\)" failed: /);
      expect(run.json?.message).to.match(row.message);
      expect(endpoint.received.length - sessionsBefore, 'CreateSession calls').to.equal(1);
      const data = (run.json?.data as { configure: ConfigureJson }).configure;
      expect(data.succeeded).to.equal(false);
      expect(data.stages.map((s) => `${s.id}:${s.status}`)).to.deep.equal([
        'aws-preflight:failed',
        ...STAGE_IDS.slice(1).map((id) => `${id}:not-run`),
      ]);
      expect(data.rollback).to.deep.equal([]);
      expectNoSecretOrStackTrace(run, rig);

      // The org: at most reads while sf resolves --target-org; no Metadata, Connect or Apex call, nothing deployed or changed.
      const touching = rig.sim.requests.slice(requestsBefore).filter((r) => ['metadata', 'connect', 'apex'].includes(r.api) || r.method !== 'GET');
      expect(touching, JSON.stringify(touching)).to.deep.equal([]);
      expect(rig.sim.deploys()).to.deep.equal([]);
      expect(rig.sim.state.externalCredentials).to.deep.equal([]);
      expect(rig.sim.state.namedCredentials).to.deep.equal([]);
      expect(rig.sim.state.principalCredentials).to.deep.equal([]);
      expect(rig.sim.state.assignments).to.deep.equal([]);
      // The project: byte for byte as it was.
      expect(readTree(rig.projectDir, { directories: true, encoding: 'base64' })).to.deep.equal(projectBefore);
    });
  }
});
