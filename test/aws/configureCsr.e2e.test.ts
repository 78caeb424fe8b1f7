/*
 * `sf iamra configure --mode csr --stack-name`: the zero-touch path, through the real sf and the real
 * SDK tree, against the org simulator, the local control-plane endpoint (CloudFormation, AWS Private
 * CA issuing from a real test CA after RequestInProgressException) and the verifying Roles Anywhere
 * endpoint the org's callouts reach (it trusts only the stack's CA and checks the SigV4-X509 signature
 * made with the org's own key). Then a re-run keeps the certificate and has nothing to change.
 */
import { X509Certificate } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import { STACK_TRACE } from '../helpers/sfCli.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import type { OrgRig } from '../org/e2e/orgProject.js';
import { awsWorld, orgTrustingStackCa, CA_ARN, GUIDE_ARNS, KEYS, REGION, STACK, type AwsWorld } from './awsWorld.js';
import { expectNoSecretsLeft } from './secretScan.js';

type ConfigureJson = {
  succeeded: boolean;
  nothingToChange: boolean;
  service?: string;
  smoke?: { passed: boolean; assumedRoleArn?: string };
  certificate?: { certificateName: string; action: string; certificateAuthorityArn?: string; templateArn?: string; validTo?: string };
  stages: Array<{ id: string; status: string }>;
};

type PlanJson = {
  dryRun: boolean;
  plan: { route: string; rows: Array<{ item: string; name: string; now: string; wanted: string; action: string }> };
  stages: Array<{ id: string; status: string }>;
};

describe('configure --mode csr --stack-name: zero manual steps (real sf, org simulator, local AWS, verifying Roles Anywhere)', function () {
  this.timeout(300_000);
  let rig: OrgRig;
  let world: AwsWorld;
  before(async () => {
    world = await awsWorld();
    rig = await orgTrustingStackCa(world);
  });
  after(async () => {
    await rig?.close();
    await world?.close();
  });

  it('--dry-run on an org without the certificate: the plan shows it made and signed, and neither Private CA nor the org is asked to change anything', async () => {
    const components = [...rig.sim.state.components.keys()].sort();
    const from = rig.sim.requests.length;
    const run = await rig.run(['iamra', 'configure', '--mode', 'csr', '--stack-name', STACK, '--dry-run', '--json'], world.env);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as PlanJson;
    expect(result.dryRun).to.equal(true);
    expect(result.plan.rows[0]).to.deep.equal({ item: 'Signing certificate', name: 'iamra_csr', now: 'absent', wanted: 'signed by AWS Private CA', action: 'create' });
    expect(result.plan.route).to.equal('through-sts');
    expect(result.stages.map((s) => s.id)).to.deep.equal(['aws-preflight', 'read-org']);
    expectMatchesSchema('iamra configure', result);
    expect(world.endpoint.calls.map((c) => c.operation)).to.deep.equal(['DescribeStacks']);
    expect(rig.sim.state.certificate('iamra_csr')).to.equal(undefined);
    expect([...rig.sim.state.components.keys()].sort()).to.deep.equal(components);
    expect(rig.sim.requests.slice(from).filter((r) => r.method !== 'GET' && r.api !== 'metadata' && r.api !== 'identity')).to.deep.equal([]);
  });

  it('makes the key in the org, has Private CA sign it, deploys the chain, then configures and ends on S3 with the check passed', async () => {
    expect(rig.sim.state.certificate('iamra_csr')).to.equal(undefined);
    const callsBefore = world.endpoint.calls.length;
    const run = await rig.run(['iamra', 'configure', '--mode', 'csr', '--stack-name', STACK, '--json'], world.env);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as ConfigureJson;
    expect(result).to.deep.include({ succeeded: true, service: 's3', nothingToChange: false });
    expect(result.smoke?.passed).to.equal(true);
    expect(result.certificate).to.deep.include({
      certificateName: 'iamra_csr',
      action: 'signed',
      certificateAuthorityArn: CA_ARN,
      templateArn: 'arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1',
    });
    expect(result.stages.slice(0, 3).map((s) => `${s.id}:${s.status}`)).to.deep.equal(['csr-create:succeeded', 'csr-sign:succeeded', 'csr-complete:succeeded']);
    expect(result.stages.find((s) => s.id === 'switch-to-s3')?.status).to.equal('succeeded');
    expectMatchesSchema('iamra configure', result);
    // one DescribeStacks for the whole run (ARNs and CA alike), issuance waited out
    expect(world.endpoint.calls.slice(callsBefore).map((c) => `${c.service}:${c.operation}:${c.region}:${c.status}`)).to.deep.equal([
      `cloudformation:DescribeStacks:${REGION}:200`,
      `acm-pca:IssueCertificate:${REGION}:200`,
      `acm-pca:GetCertificate:${REGION}:400`,
      `acm-pca:GetCertificate:${REGION}:400`,
      `acm-pca:GetCertificate:${REGION}:200`,
    ]);
    // the org holds the chain Private CA issued for the org's own key, and the callout used it
    const held = rig.sim.state.certificate('iamra_csr');
    expect(held).to.deep.include({ caSigned: true, privateKeyExportable: false, origin: 'metadata' });
    const leaf = new X509Certificate(held!.content);
    expect(leaf.verify(new X509Certificate(world.ca.intermediatePem).publicKey), 'leaf signed by the stack CA').to.equal(true);
    expect(rig.sim.aws?.issued.at(-1)?.roleArn).to.equal(GUIDE_ARNS.role);
    expect(rig.sim.state.namedCredentials.find((n) => n.developerName === 'APN_API_Connection')?.url).to.match(/\bs3\b/);
    // no CSR, key or AWS secret left anywhere; the CSR was signed from memory
    expect(readdirSync(rig.projectDir).filter((f) => f.endsWith('.csr'))).to.deep.equal([]);
    expectNoSecretsLeft({ dirs: [rig.projectDir, rig.sf.home], texts: [run.stdout, run.stderr], secrets: [KEYS.default.secretAccessKey] });
  });

  it('a re-run keeps the certificate, asks AWS nothing but the stack, and says there is nothing to change', async () => {
    const before = world.endpoint.calls.length;
    const run = await rig.run(['iamra', 'configure', '--mode', 'csr', '--stack-name', STACK], world.env);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/Certificate iamra_csr is signed and in place \(valid until \d{4}-\d\d-\d\d\); kept\./);
    expect(run.stdout).to.match(/Nothing to change: the org already holds this configuration/);
    expect(run.stdout).to.not.match(/signed by AWS Private CA \(/);
    expect(world.endpoint.calls.slice(before).map((c) => c.operation)).to.deep.equal(['DescribeStacks']);
    expect(run.stderr).to.not.match(STACK_TRACE);
    const dryRun = await rig.run(['iamra', 'configure', '--mode', 'csr', '--stack-name', STACK, '--dry-run', '--json'], world.env);
    expect(dryRun.code, dryRun.stdout + dryRun.stderr).to.equal(0);
    const plan = (dryRun.json?.result as PlanJson).plan;
    expect(plan.route).to.equal('nothing');
    expect(plan.rows[0]).to.deep.include({ now: `signed by AWS Private CA, expires ${rig.sim.state.certificate('iamra_csr')!.expirationDate.slice(0, 10)}`, action: 'none' });
  });

  it('a refusal while signing stops configure before the org side, in words; the new CSR is kept for the re-run and says so', async () => {
    const denied = await awsWorld({ ca: world.ca, deniedActions: ['acm-pca:IssueCertificate'] });
    try {
      const orgSide = (): string[] => [...rig.sim.state.components.keys()].filter((k) => !k.startsWith('Certificate:')).sort();
      const components = orgSide();
      const run = await rig.run(['iamra', 'configure', '--mode', 'csr', '--stack-name', STACK, '--certificate-name', 'denied_csr', '--json'], denied.env);
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.json?.message).to.match(/AWS denied acm-pca:IssueCertificate on arn:aws:acm-pca:us-west-2/);
      expect(run.json?.message).to.match(/left as it is: certificate denied_csr is kept \(its key never leaves the org; a re-run signs it/);
      expect((run.json?.actions ?? []).join('\n')).to.match(/Allow the IAM action acm-pca:IssueCertificate/);
      const data = (run.json?.data as { configure?: ConfigureJson } | undefined)?.configure;
      expect(data?.stages.slice(0, 3).map((s) => `${s.id}:${s.status}`)).to.deep.equal(['csr-create:succeeded', 'csr-sign:failed', 'csr-complete:not-run']);
      // nothing of the org side was touched; the pending CSR stays (its key never left the org)
      expect(orgSide()).to.deep.equal(components);
      expect(rig.sim.state.certificate('denied_csr')?.content).to.match(/CERTIFICATE REQUEST/);
      expect(run.stdout + run.stderr).to.not.match(STACK_TRACE);
    } finally {
      await denied.close();
    }
  });

  it('refuses --mode csr without --stack-name, and with --keystore, naming the fix, before the org is touched', async () => {
    const noStack = await rig.run(['iamra', 'configure', '--mode', 'csr', '--stack-outputs', 'stack.json', '--json'], world.env);
    expect(noStack.code, noStack.stdout + noStack.stderr).to.equal(1);
    expect(noStack.json?.message).to.match(/--mode csr needs --stack-name/);
    expect((noStack.json?.actions ?? []).join('\n')).to.match(/sf iamra csr create --no-sign/);
    const both = await rig.run(['iamra', 'configure', '--mode', 'csr', '--stack-name', STACK, '--keystore', 'sfdx-project.json', '--json'], world.env);
    expect(both.code, both.stdout + both.stderr).to.equal(1);
    expect(both.json?.message).to.match(/--keystore imports one instead/);
  });
});
