/*
 * `sf iamra csr create --stack-name / --certificate-authority-arn`: CSR mode signing itself, through
 * the real sf and the real SDK tree, against the org simulator and the local control-plane endpoint
 * (which answers RequestInProgressException twice before the certificate is issued by a real test CA).
 * Each AWS Private CA refusal is a row that stops at once, in words.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { STACK_TRACE } from '../helpers/sfCli.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import type { OrgRig } from '../org/e2e/orgProject.js';
import { awsWorld, orgTrustingStackCa, CA_ARN, KEYS, REGION, STACK, type AwsWorld, type AwsWorldOptions } from './awsWorld.js';
import { expectNoSecretsLeft } from './secretScan.js';

type CreateJson = {
  certificateName: string;
  signed?: { certificateAuthorityArn: string; certificateArn: string; region: string; templateArn: string; validityDays: number };
  completed?: { confirmed: { chainLength: number }; leaf: { subject: string; validTo: string } };
  nextSteps: string[];
};

describe('csr create signing itself with AWS Private CA (real sf, org simulator, local AWS endpoint)', function () {
  this.timeout(240_000);
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

  it('--stack-name: IssueCertificate, waits out RequestInProgressException, GetCertificate, deploys the chain leaf first', async () => {
    const before = world.endpoint.calls.length;
    const run = await rig.run(['iamra', 'csr', 'create', '--stack-name', STACK, '--output', join(rig.projectDir, 'iamra.csr'), '--json'], world.env);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as CreateJson;
    expect(result.signed).to.deep.include({
      certificateAuthorityArn: CA_ARN,
      region: REGION,
      templateArn: 'arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1',
      validityDays: 365,
    });
    expect(result.completed?.confirmed.chainLength).to.equal(3);
    expect(result.nextSteps[0]).to.match(/^sf iamra deploy --target-org .* --certificate-name iamra_csr$/);
    expectMatchesSchema('iamra csr create', result);
    const calls = world.endpoint.calls.slice(before).map((c) => `${c.service}:${c.operation}:${c.region}:${c.status}`);
    expect(calls).to.deep.equal([
      `cloudformation:DescribeStacks:${REGION}:200`,
      `acm-pca:IssueCertificate:${REGION}:200`,
      `acm-pca:GetCertificate:${REGION}:400`,
      `acm-pca:GetCertificate:${REGION}:400`,
      `acm-pca:GetCertificate:${REGION}:200`,
    ]);
    expect(world.endpoint.calls.at(-2)?.body).to.include('RequestInProgressException');
    // the org now holds a certificate issued for its own key, leaf first
    const held = rig.sim.state.certificate('iamra_csr');
    expect(held?.content).to.match(/^-----BEGIN CERTIFICATE-----/);
    expectNoSecretsLeft({ dirs: [rig.projectDir], texts: [run.stdout, run.stderr], secrets: [KEYS.default.secretAccessKey] });
  });

  it('then configure --stack-name --certificate-name iamra_csr finishes the org side with no manual step, ending on S3', async () => {
    const run = await rig.run(['iamra', 'configure', '--stack-name', STACK, '--certificate-name', 'iamra_csr', '--json'], world.env);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as { succeeded: boolean; service?: string; smoke?: { passed: boolean } };
    expect(result).to.deep.include({ succeeded: true, service: 's3' });
    expect(result.smoke?.passed).to.equal(true);
  });

  it('--certificate-authority-arn with --template-arn and --validity-days, for a person', async () => {
    const run = await rig.run(
      [
        'iamra', 'csr', 'create', '--certificate-name', 'second_csr', '--certificate-authority-arn', CA_ARN,
        '--template-arn', 'arn:aws:acm-pca:::template/EndEntityCertificate/V1', '--validity-days', '30', '--output', join(rig.projectDir, 'second.csr'),
      ],
      world.env
    );
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/AWS Private CA arn:aws:acm-pca:us-west-2:123456789012:certificate-authority\/\S+ issued \S+\/certificate\/[0-9a-f]+ \(valid until \d{4}-\d\d-\d\d\)/);
    expect(run.stdout).to.match(/Deployed the signed chain to certificate second_csr/);
    expect(run.stderr).to.not.match(STACK_TRACE);
    const issue = world.endpoint.calls.filter((c) => c.operation === 'IssueCertificate').at(-1);
    expect(issue?.status).to.equal(200);
  });

  type Row = { name: string; world: AwsWorldOptions; args?: string[]; env?: NodeJS.ProcessEnv; message: RegExp; action?: RegExp; calls?: number };
  const rows: Row[] = [
    { name: 'a CA that is not ACTIVE', world: { caStatus: 'DISABLED' }, message: /cannot issue certificates now: .*DISABLED/, action: /aws acm-pca describe-certificate-authority/ },
    { name: 'a SHORT_LIVED_CERTIFICATE CA with a year of validity', world: { caUsageMode: 'SHORT_LIVED_CERTIFICATE' }, message: /is a SHORT_LIVED_CERTIFICATE CA/, action: /GENERAL_PURPOSE/ },
    { name: 'AccessDenied on IssueCertificate (names acm-pca:IssueCertificate)', world: { deniedActions: ['acm-pca:IssueCertificate'] }, message: /AWS denied acm-pca:IssueCertificate on arn:aws:acm-pca:us-west-2/, action: /Allow the IAM action acm-pca:IssueCertificate/ },
    { name: 'AccessDenied on GetCertificate, at once (not waited out)', world: { deniedActions: ['acm-pca:GetCertificate'] }, message: /AWS denied acm-pca:GetCertificate/, calls: 1 },
    { name: 'a CSR the CA rejects (MalformedCSR)', world: { rejectCsr: true }, message: /rejected the certificate signing request/, action: /sf iamra csr create/ },
    {
      name: 'an issuance that never completes (gives up, says how to fetch it later)',
      world: { pendingPolls: 1_000_000 },
      env: { SF_IAMRA_ISSUE_TIMEOUT_MS: '1500' },
      message: /AWS Private CA had not issued certificate arn:aws:acm-pca:us-west-2:\S+\/certificate\/\S+ after 2 seconds/,
      action: /aws acm-pca get-certificate --certificate-authority-arn arn:aws:acm-pca:us-west-2:\S+ --certificate-arn \S+, then run sf iamra csr complete/,
    },
    { name: 'throttling of IssueCertificate that does not stop', world: { throttle: { IssueCertificate: 50 } }, message: /kept throttling acm-pca:IssueCertificate in us-west-2/ },
    { name: 'a CA ARN in another region than --aws-region', world: {}, args: ['--certificate-authority-arn', CA_ARN, '--aws-region', 'eu-west-1'], message: /--aws-region eu-west-1 does not match/ },
  ];
  rows.forEach((row, index) => {
    it(`stops on ${row.name}, in words`, async () => {
      const w = await awsWorld(row.world);
      try {
        const args = row.args ?? ['--stack-name', STACK];
        const run = await rig.run(['iamra', 'csr', 'create', '--certificate-name', `refused_${index}`, ...args, '--output', join(rig.projectDir, `r${index}.csr`), '--json'], { ...w.env, ...row.env });
        expect(run.code, run.stdout + run.stderr).to.equal(1);
        expect(run.json?.message).to.match(row.message);
        if (row.action) expect((run.json?.actions ?? []).join('\n')).to.match(row.action);
        if (row.calls !== undefined) expect(w.endpoint.calls.filter((c) => c.operation === 'GetCertificate').length).to.equal(row.calls);
        expect(run.stdout + run.stderr).to.not.match(STACK_TRACE);
      } finally {
        await w.close();
      }
    });
  });

  it('--no-sign keeps the two-step manual flow: nothing is asked of AWS', async () => {
    const before = world.endpoint.calls.length;
    const run = await rig.run(['iamra', 'csr', 'create', '--certificate-name', 'manual_csr', '--certificate-authority-arn', CA_ARN, '--no-sign', '--output', join(rig.projectDir, 'manual.csr'), '--json'], world.env);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect((run.json?.result as CreateJson).signed).to.equal(undefined);
    expect(world.endpoint.calls.length).to.equal(before);
    expect(readdirSync(rig.projectDir)).to.include('manual.csr');
  });
});
