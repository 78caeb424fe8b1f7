/*
 * CSR mode end to end through the real sf binary against the org simulator: csr create writes a real
 * CSR (checked by openssl), the test plays AWS Private CA and signs it, csr complete deploys the chain,
 * and the certificate then signs the smoke test. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { tempDir } from '../../helpers/tempProject.js';
import { STACK_TRACE, type SfRun } from '../../helpers/sfCli.js';
import { expectMatchesSchema } from '../../helpers/schema.js';
import { createTestCa, type SignOptions, type TestCa } from '../../helpers/testCa.js';
import {
  createReadOnlyMount,
  createUnwritableDir,
  skipWithoutReadOnlyMount,
  skipWithoutUnwritableDir,
  type UnwritableDir,
} from '../../helpers/unwritableDir.js';
import { ARN, ARN_FLAGS } from '../../helpers/fixtures.js';
import { testAwsAccount } from '../../simulator/harness/testAws.js';
import { importTestKeystore, orgRig, type OrgRig } from './orgProject.js';

const pki = (name: string): string => join(process.cwd(), 'test', 'fixtures', 'pki', name);
const deploys = (rig: OrgRig): number => rig.sim.requests.filter((r) => r.operation === 'deploy').length;

function openssl(args: string[]): { code: number; out: string } {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return { code: run.status ?? 1, out: `${run.stdout}${run.stderr}` };
}

describe('sf iamra csr create + complete against the org simulator (real sf)', () => {
  let rig: OrgRig;
  let ca: TestCa;
  let dir: string;
  let csrFile: string;

  before(async () => {
    ca = createTestCa();
    dir = tempDir('iamra-csr-e2e-').dir;
    csrFile = join(dir, 'iamra_csr.csr');
    // AWS's trust anchor trusts the CA that plays AWS Private CA here
    rig = await orgRig({
      orgType: 'sandbox',
      aws: testAwsAccount(ARN, { trustAnchors: [{ arn: ARN.anchor, caCertificates: [new X509Certificate(ca.rootPem)] }] }),
    });
  });
  after(async () => {
    await rig?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('create: the org generates a non-exportable key and the CSR openssl verifies is written, with the requested key size', async () => {
    const run = await rig.run(['iamra', 'csr', 'create', '--output', csrFile, '--key-size', '4096', '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as { csrFile: string; csr: { subject: string; keySize: number; pem: string }; reusedPendingCsr: boolean; nextSteps: string[] };
    expect(result).to.deep.include({ csrFile, reusedPendingCsr: false });
    // --json carries the CSR (public) as written to the file
    expect(result.csr).to.deep.equal({ subject: 'CN=iamra_csr', keySize: 4096, pem: readFileSync(csrFile, 'utf8') });
    expect(openssl(['req', '-verify', '-noout', '-in', csrFile]).code, 'openssl req -verify').to.equal(0);
    expect(openssl(['req', '-noout', '-text', '-in', csrFile]).out).to.match(/Public-Key: \(4096 bit\)/);
    expect(openssl(['req', '-noout', '-subject', '-in', csrFile]).out).to.match(/CN ?= ?iamra_csr/);
    const cert = rig.sim.state.certificate('iamra_csr');
    expect(cert).to.deep.include({ caSigned: true, privateKeyExportable: false, keySize: 4096 });
    expect(readFileSync(csrFile, 'utf8')).to.equal(cert!.content);
    expect(result.nextSteps[0]).to.include(`--csr fileb://${csrFile} --signing-algorithm SHA256WITHRSA --template-arn arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1 --validity Value=365,Type=DAYS`);
    expectMatchesSchema('iamra csr create', run.json?.result);
    // the project now has the source of what was deployed
    const meta = readFileSync(join(rig.projectDir, 'force-app', 'main', 'default', 'certs', 'iamra_csr.crt-meta.xml'), 'utf8');
    expect(meta).to.match(/<caSigned>true<\/caSigned>[\s\S]*<keySize>4096<\/keySize>[\s\S]*<privateKeyExportable>false<\/privateKeyExportable>/);
  });

  it('create with --certificate-authority-arn: the next steps name that CA and its region, ready to paste', async () => {
    const caArn = 'arn:aws:acm-pca:eu-central-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';
    const run = await rig.run(['iamra', 'csr', 'create', '--output', csrFile, '--key-size', '4096', '--force', '--certificate-authority-arn', caArn, '--no-sign', '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const steps = (run.json?.result as { nextSteps: string[] }).nextSteps;
    expect(steps.slice(0, 3).every((step) => step.includes(`--certificate-authority-arn ${caArn} --region eu-central-1 `))).to.equal(true);
    expect(steps.join('\n')).to.not.include('<private-ca-arn>');
  });

  it('create again (human output): keeps the pending CSR, deploys nothing, prints the subject and the exact next steps', async () => {
    const before = { csr: readFileSync(csrFile, 'utf8'), deploys: deploys(rig) };
    const run = await rig.run(['iamra', 'csr', 'create', '--output', csrFile, '--key-size', '4096', '--force']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(readFileSync(csrFile, 'utf8')).to.equal(before.csr);
    expect(deploys(rig)).to.equal(before.deploys);
    expect(run.stdout).to.include('already holds a pending certificate signing request for iamra_csr');
    expect(run.stdout).to.match(/Subject: +CN=iamra_csr/);
    expect(run.stdout).to.match(/Key size: 4096 bits/);
    expect(run.stdout).to.include(
      `aws acm-pca issue-certificate --certificate-authority-arn <private-ca-arn> --csr fileb://${csrFile} --signing-algorithm SHA256WITHRSA --template-arn arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1 --validity Value=365,Type=DAYS`
    );
    expect(run.stdout).to.match(/aws acm-pca get-certificate .*--query Certificate --output text > signed\.pem/);
    expect(run.stdout).to.match(/aws acm-pca get-certificate .*--query CertificateChain --output text > chain\.pem/);
    expect(run.stdout).to.include(`sf iamra csr complete --target-org ${rig.sim.username} --certificate-name iamra_csr --certificate signed.pem --chain chain.pem`);
    expect(run.stdout + run.stderr).not.to.include(rig.sim.accessToken);
  });

  it('complete: the signed chain is checked, deployed leaf first, and the org holds it', async () => {
    const leafPem = ca.sign(readFileSync(csrFile, 'utf8'));
    writeFileSync(join(dir, 'signed.pem'), leafPem);
    writeFileSync(join(dir, 'chain.pem'), ca.chainPem);
    const run = await rig.run(['iamra', 'csr', 'complete', '--certificate', join(dir, 'signed.pem'), '--chain', join(dir, 'chain.pem'), '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const result = run.json?.result as { leaf: { subject: string; keySize: number }; chain: Array<{ subject: string }>; confirmed: { chainLength: number } };
    expect(result.leaf).to.deep.include({ subject: 'CN=iamra_csr', keySize: 4096 });
    expect(result.chain.map((c) => c.subject)).to.deep.equal([
      'CN=iamra_csr',
      'CN=iamra test issuing CA, O=plugin-iamra tests',
      'CN=iamra test root CA, O=plugin-iamra tests',
    ]);
    expect(result.confirmed.chainLength).to.equal(3);
    expectMatchesSchema('iamra csr complete', run.json?.result);
    const held = rig.sim.state.certificate('iamra_csr')!.content;
    const blocks = held.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    expect(blocks.map((b) => new X509Certificate(b).subject.replace(/\n/g, ', '))).to.deep.equal(result.chain.map((c) => c.subject));
    expect(new X509Certificate(blocks[0] ?? '').raw.equals(new X509Certificate(leafPem).raw)).to.equal(true);
    expect(held).not.to.include('REQUEST');
  });

  it('complete again (human output): the certificate is no longer a pending CSR, said in words, exit 1, no stack trace', async () => {
    const run = await rig.run(['iamra', 'csr', 'complete', '--certificate', join(dir, 'signed.pem'), '--chain', join(dir, 'chain.pem')]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/The certificate iamra_csr in the org already holds a signed or imported certificate, not a pending certificate signing request/);
    expect(run.stderr).to.match(/sf iamra deploy --certificate-name iamra_csr/);
    expect(run.stderr).not.to.match(STACK_TRACE);
  });

  it('the CSR certificate then signs for the connector: deploy --certificate-name iamra_csr, and the smoke test passes', async () => {
    const deploy = await rig.run(['iamra', 'deploy', ...ARN_FLAGS, '--certificate-name', 'iamra_csr', '--json']);
    expect(deploy.code, deploy.stdout + deploy.stderr).to.equal(0);
    const ec = rig.sim.state.externalCredential('AWS_IAM_Anywhere_Credential');
    expect(ec?.parameters.find((p) => p.parameterType === 'SigningCertificate')?.certificate).to.equal('iamra_csr');
    const smoke = await rig.run(['iamra', 'smoke', '--json']);
    expect(smoke.code, smoke.stdout + smoke.stderr).to.equal(0);
    expect(smoke.json?.result).to.deep.include({ passed: true, httpStatus: 200, roleArn: ARN.role });
  });
});

describe('sf iamra csr refusals (real sf, org simulator)', () => {
  type Row = { name: string; args: () => string[]; errorName: string; message: RegExp; action?: RegExp; touchesOrg: boolean; unwritable?: boolean; readOnly?: boolean };
  let rig: OrgRig;
  let unwritable: UnwritableDir | undefined;
  let readOnly: { mount?: UnwritableDir; reason?: string } = {};
  let ca: TestCa;
  let dir: string;
  let pendingCsr: string;
  const runs = new Map<string, SfRun>();
  let deploysBefore = 0;
  let requestsBefore = 0;
  const localRequests = new Map<string, number>();

  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const signed = (name: string, options: SignOptions = {}): string => write(`${name}.pem`, ca.sign(pendingCsr, options));
  const complete = (certificate: string, chain?: string): string[] => [
    'iamra', 'csr', 'complete', '--certificate', certificate, ...(chain ? ['--chain', chain] : []), '--json',
  ];

  const rows: Row[] = [
    {
      name: 'complete: certificate issued for a different key',
      args: () => complete(signed('other-key', { publicKeyPem: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString() }), join(dir, 'chain.pem')),
      errorName: 'KeyMismatchError',
      message: /The signed certificate \(CN=iamra_csr\) was not issued for the pending CSR of iamra_csr \(CN=iamra_csr\): its public key is a different one/,
      action: /Sign the CSR that "sf iamra csr create --certificate-name iamra_csr" wrote/,
      touchesOrg: true,
    },
    {
      name: 'complete: the fixture leaf, for another key (different subjects named)',
      args: () => complete(pki('leaf-rsa2048.pem'), pki('chain.pem')),
      errorName: 'KeyMismatchError',
      message: /\(CN=leaf-rsa2048[^)]*\) was not issued for the pending CSR of iamra_csr \(CN=iamra_csr\)/,
      touchesOrg: true,
    },
    {
      name: 'complete: leaf is a CA (CA:TRUE, even without keyCertSign)',
      args: () => complete(signed('ca-true', { ca: true, keyCertSign: false }), join(dir, 'chain.pem')),
      errorName: 'CertificateRefusedError',
      message: /can't be used with IAM Roles Anywhere:\n- The leaf certificate is a CA certificate \(basicConstraints CA:TRUE\)/,
      action: /EndEntityClientAuthCertificate\/V1/,
      touchesOrg: false,
    },
    {
      name: 'complete: no keyUsage digitalSignature',
      args: () => complete(signed('no-ds', { noDigitalSignature: true }), join(dir, 'chain.pem')),
      errorName: 'CertificateRefusedError',
      message: /key usage does not include digitalSignature/,
      touchesOrg: false,
    },
    {
      name: 'complete: signed with SHA-1',
      args: () => complete(signed('sha1', { hash: 'sha1' }), join(dir, 'chain.pem')),
      errorName: 'CertificateRefusedError',
      message: /The iamra_csr certificate is signed with sha1WithRSAEncryption/,
      touchesOrg: false,
    },
    {
      name: 'complete: expired',
      args: () => complete(signed('expired', { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') }), join(dir, 'chain.pem')),
      errorName: 'CertificateRefusedError',
      message: /"iamra_csr" expired on 2021-01-01/,
      touchesOrg: false,
    },
    {
      name: 'complete: chain that does not link',
      args: () => complete(signed('good'), pki('other-root-ca.pem')),
      errorName: 'ChainDoesNotLinkError',
      message: /The certificate chain does not link to the signed certificate \(CN=iamra_csr\): .*other/i,
      touchesOrg: false,
    },
    {
      name: 'complete: no pending CSR of that name',
      args: () => [...complete(signed('good2'), join(dir, 'chain.pem')), '--certificate-name', 'nothing_here'],
      errorName: 'NoPendingCsrError',
      message: /no pending certificate signing request named nothing_here/,
      action: /sf iamra csr create --certificate-name nothing_here/,
      touchesOrg: true,
    },
    {
      name: 'create: a certificate of that name exists and is not a pending CSR',
      args: () => ['iamra', 'csr', 'create', '--certificate-name', 'iamra', '--output', join(dir, 'iamra.csr'), '--json'],
      errorName: 'CertificateExistsError',
      message: /already has a certificate named iamra, and it is not a pending certificate signing request[\s\S]*generate a new key pair/,
      action: /--certificate-name \(for example iamra_2\)/,
      touchesOrg: true,
    },
    {
      name: 'create: --certificate-authority-arn that is not an AWS Private CA',
      args: () => ['iamra', 'csr', 'create', '--certificate-name', 'fresh_csr', '--output', join(dir, 'fresh.csr'), '--certificate-authority-arn', ARN.anchor, '--json'],
      errorName: 'NotPrivateCaArnError',
      message: /--certificate-authority-arn is not an AWS Private CA: "arn:aws:rolesanywhere:/,
      action: /arn:aws:acm-pca:REGION:ACCOUNT:certificate-authority\/ID/,
      touchesOrg: false,
    },
    {
      name: 'create: --output under a file (checked before the org is asked anything)',
      args: () => ['iamra', 'csr', 'create', '--certificate-name', 'fresh_csr', '--output', join(write('plain.txt', 'keep me'), 'fresh.csr'), '--json'],
      errorName: 'OutputNotWritableError',
      message: /The CSR file cannot be written to .*plain\.txt is a file, not a directory/,
      action: /directory you can write to/,
      touchesOrg: false,
    },
    {
      name: 'create: --output is a directory',
      args: () => ['iamra', 'csr', 'create', '--certificate-name', 'fresh_csr', '--output', dir, '--force', '--json'],
      errorName: 'OutputNotWritableError',
      message: /The CSR file cannot be written to .*: it is a directory/,
      touchesOrg: false,
    },
    {
      name: 'create: --output in a directory nobody may write (read-only)',
      args: () => ['iamra', 'csr', 'create', '--certificate-name', 'fresh_csr', '--output', join(unwritable!.path, 'fresh.csr'), '--json'],
      errorName: 'OutputNotWritableError',
      message: /you may not create files in .*immutable/,
      touchesOrg: false,
      unwritable: true,
    },
    {
      name: 'create: --output on a read-only file system (EROFS, checked before the org is asked anything)',
      args: () => ['iamra', 'csr', 'create', '--certificate-name', 'fresh_csr', '--output', join(readOnly.mount!.path, 'fresh.csr'), '--json'],
      errorName: 'OutputNotWritableError',
      message: /The CSR file cannot be written to .*read-only[/]fresh\.csr: .*read-only is on a read-only file system/,
      action: /directory you can write to/,
      touchesOrg: false,
      readOnly: true,
    },
    {
      name: 'create: the output file exists and --force is not given',
      args: () => ['iamra', 'csr', 'create', '--certificate-name', 'fresh_csr', '--output', write('exists.csr', 'keep me'), '--json'],
      errorName: 'OutputExistsError',
      message: /The CSR file .*exists\.csr already exists/,
      action: /--force/,
      touchesOrg: false,
    },
  ];

  before(async function () {
    // one sf process per local refusal, one after the other (the request log must be per row)
    this.timeout(15 * 60 * 1000);
    ca = createTestCa();
    dir = tempDir('iamra-csr-refusals-').dir;
    unwritable = createUnwritableDir(dir);
    readOnly = createReadOnlyMount(dir);
    rig = await orgRig({ orgType: 'sandbox', seed: importTestKeystore });
    const created = await rig.run(['iamra', 'csr', 'create', '--output', join(dir, 'pending.csr'), '--json']);
    if (created.code !== 0) throw new Error(`set-up csr create failed: ${created.stdout}${created.stderr}`);
    pendingCsr = readFileSync(join(dir, 'pending.csr'), 'utf8');
    write('chain.pem', ca.chainPem);
    deploysBefore = deploys(rig);
    requestsBefore = rig.sim.requests.length;
    // Rows that must not touch the org run alone first, so the request log shows they sent nothing.
    for (const row of rows.filter((r) => !r.touchesOrg && (!r.unwritable || unwritable !== undefined) && (!r.readOnly || readOnly.mount !== undefined))) {
      const count = rig.sim.requests.length;
      // eslint-disable-next-line no-await-in-loop
      runs.set(row.name, await rig.run(row.args()));
      localRequests.set(row.name, rig.sim.requests.filter((r, i) => i >= count && r.api !== 'identity' && r.api !== 'rest').length);
    }
    const orgRows = rows.filter((r) => r.touchesOrg);
    const results = await Promise.all(orgRows.map((row) => rig.run(row.args())));
    orgRows.forEach((row, i) => runs.set(row.name, results[i]));
  });
  after(async () => {
    await rig?.close();
    unwritable?.release();
    readOnly.mount?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const row of rows) {
    it(`refuses: ${row.name}`, function () {
      if (row.unwritable && !unwritable) skipWithoutUnwritableDir(this);
      if (row.readOnly && !readOnly.mount) skipWithoutReadOnlyMount(this, readOnly.reason);
      const run = runs.get(row.name)!;
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.json?.name).to.equal(row.errorName);
      expect(run.json?.message).to.match(row.message);
      if (row.action) expect((run.json?.actions ?? []).join('\n')).to.match(row.action);
      expect(run.stdout + run.stderr).not.to.match(STACK_TRACE);
      if (!row.touchesOrg) expect(localRequests.get(row.name), 'Tooling/Metadata requests before refusing').to.equal(0);
    });
  }

  it('nothing was deployed by any refused run: the CSR is still pending, the imported certificate untouched', () => {
    expect(deploys(rig)).to.equal(deploysBefore);
    expect(rig.sim.requests.length).to.be.greaterThan(requestsBefore);
    expect(rig.sim.state.certificate('iamra_csr')!.content).to.equal(pendingCsr);
    expect(rig.sim.state.certificate('iamra')).to.deep.include({ origin: 'keystore' });
    expect(readFileSync(join(dir, 'exists.csr'), 'utf8')).to.equal('keep me');
    expect(existsSync(join(dir, 'iamra.csr'))).to.equal(false);
  });

  it('create --force over a symbolic link replaces the link, never writes through it (as keystore build)', async () => {
    const target = write('link-target.txt', 'keep me');
    const link = join(dir, 'linked.csr');
    symlinkSync(target, link);
    const run = await rig.run(['iamra', 'csr', 'create', '--output', link, '--force', '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(lstatSync(link).isSymbolicLink(), 'the link itself was replaced').to.equal(false);
    expect(readFileSync(link, 'utf8')).to.equal(pendingCsr);
    expect(readFileSync(target, 'utf8'), 'the link target is untouched').to.equal('keep me');
  });
});
