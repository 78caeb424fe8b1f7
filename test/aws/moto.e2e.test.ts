/*
 * The key AWS end-to-end paths again, against moto_server instead of our own endpoint (a second
 * opinion: moto is AWS's most used emulator, written by others). Through the real sf and SDK:
 * stack outputs via DescribeStacks, ACM export -> keystore build, AWS Private CA issue -> csr complete.
 * moto differs from AWS, and from our endpoint, in ways these tests pin down:
 * - ExportCertificate encrypts the key with PBKDF2-HMAC-SHA256 (AWS: HMAC-SHA1); we decrypt both.
 * - GetCertificate answers at once (AWS: RequestInProgressException first); we need no wait.
 * - An ACM "private" certificate is not issued by the Private CA: it is self-signed under a fake
 *   "Amazon" issuer, with Amazon's public intermediate as its chain, so keystore build refuses the chain.
 * - IssueCertificate ignores EndEntityClientAuthCertificate/V1 (no keyUsage, no basicConstraints),
 *   which the local check refuses before the org is touched; EndEntityCertificate/V1 is honoured.
 * Where moto_server is absent, every test here reports skipped with the reason.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SfCli, STACK_TRACE } from '../helpers/sfCli.js';
import { orgRig, type OrgRig } from '../org/e2e/orgProject.js';
import { findPrivateKeyBlock } from '../../src/shared/keystore/pem.js';
import { decryptPrivateKey } from '../../src/shared/keystore/privateKey.js';
import { GUIDE_ARNS, STACK } from './awsWorld.js';
import { motoServerPath, startMoto, type MotoWorld } from './motoServer.js';
import { expectNoSecretsLeft } from './secretScan.js';

const moto = motoServerPath();

describe('second opinion: the AWS paths against moto_server (real sf, real SDK)', function () {
  this.timeout(300_000);
  let world: MotoWorld;
  let sf: SfCli;
  let work: string;
  let rig: OrgRig | undefined;
  before(async function () {
    if (!moto.path) {
      // To un-skip: install moto's server (`pip install 'moto[server]'`) so moto_server is on PATH.
      // eslint-disable-next-line no-console
      console.warn(`!!! SKIPPING the moto second-opinion tests: ${moto.reason}`);
      this.skip();
    }
    sf = SfCli.get();
    world = await startMoto(moto.path);
    work = mkdtempSync(join(tmpdir(), 'iamra-moto-work-'));
    writeFileSync(join(work, 'storepass.txt'), 'moto-test-storepass\n');
  });
  after(async () => {
    await rig?.close();
    await world?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('metadata generate --stack-name reads the outputs moto serves through DescribeStacks', async () => {
    const run = await sf.run(['iamra', 'metadata', 'generate', '--output-dir', join(work, 'out'), '--stack-name', STACK, '--json'], { env: world.env });
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const inputs = (run.json?.result as { inputs: Record<string, { value: string }> }).inputs;
    expect(inputs.trustAnchorArn.value).to.equal(GUIDE_ARNS.trustAnchor);
    expect(inputs.roleArn.value).to.equal(GUIDE_ARNS.role);
  });

  it("moto's ExportCertificate key (PBES2 with PBKDF2-HMAC-SHA256) is decrypted in memory", async () => {
    const { ACMClient, ExportCertificateCommand } = await import('@aws-sdk/client-acm');
    const passphrase = 'moto-export-passphrase-1';
    const acm = new ACMClient({ region: 'us-west-2', endpoint: world.url, credentials: { accessKeyId: 'AKIAMOTOTEST', secretAccessKey: 'x' } });
    const out = await acm.send(new ExportCertificateCommand({ CertificateArn: world.acmArn, Passphrase: Buffer.from(passphrase) }));
    const block = findPrivateKeyBlock(Buffer.from(out.PrivateKey!), 'moto export');
    // 2.16.840.1.113549.2.9 (hmacWithSHA256) is the PRF in moto's PBES2 parameters; AWS uses hmacWithSHA1.
    const der = Buffer.from(block.text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    expect(der.includes(Buffer.from('06082a864886f70d0209', 'hex'))).to.equal(true);
    const key = await decryptPrivateKey(block, 'moto export', () => Promise.resolve(passphrase));
    expect(key.asymmetricKeyType).to.equal('rsa');
  });

  it('keystore build --stack-name --yes exports and decrypts, then refuses the chain moto made up, in words', async () => {
    const run = await sf.run(['iamra', 'keystore', 'build', '--stack-name', STACK, '--output', 'moto.jks', '--yes', '--keystore-password-file', 'storepass.txt', '--json'], {
      cwd: work,
      env: world.env,
    });
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    // reaching the chain check means DescribeCertificate (PRIVATE, ISSUED), the export and the SHA-256 PRF decryption passed
    expect(run.json?.name).to.equal('ForeignCertificateError');
    expect(run.json?.message).to.match(/does not belong to the chain of the leaf certificate: C=US, O=Amazon, OU=Server CA 1B/);
    expect(run.stdout + run.stderr).to.not.match(STACK_TRACE);
    expect(readdirSync(work)).to.not.include('moto.jks');
    // no key left in the working directory; the store password (the user's own file there) not echoed
    expectNoSecretsLeft({ dirs: [work], texts: [], secrets: [] });
    expectNoSecretsLeft({ dirs: [], texts: [run.stdout, run.stderr], secrets: ['moto-test-storepass'] });
  });

  describe('AWS Private CA issuing for the org simulator', () => {
    before(async () => {
      rig = await orgRig({ orgType: 'sandbox' });
    });

    it('csr create --stack-name: moto ignores EndEntityClientAuthCertificate/V1, and the local check refuses its leaf before deploying it', async () => {
      const run = await rig!.run(['iamra', 'csr', 'create', '--stack-name', STACK, '--output', join(rig!.projectDir, 'a.csr'), '--json'], world.env);
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.json?.message).to.match(/can't be used with IAM Roles Anywhere:[\s\S]*digitalSignature/);
      expect((run.json?.actions ?? []).join('\n')).to.match(/EndEntityClientAuthCertificate\/V1/);
      // the org still holds the pending CSR: nothing was deployed over it
      expect(rig!.sim.state.certificate('iamra_csr')?.content).to.match(/CERTIFICATE REQUEST/);
    });

    it('csr create --template-arn EndEntityCertificate/V1: issued without waiting, completed, the chain in the org', async () => {
      const run = await rig!.run(
        ['iamra', 'csr', 'create', '--stack-name', STACK, '--template-arn', 'arn:aws:acm-pca:::template/EndEntityCertificate/V1', '--output', join(rig!.projectDir, 'a.csr'), '--force', '--json'],
        world.env
      );
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const result = run.json?.result as { signed: { certificateAuthorityArn: string }; completed: { confirmed: { chainLength: number } } };
      expect(result.signed.certificateAuthorityArn).to.equal(world.caArn);
      // moto's chain is its self-signed root only: leaf + root
      expect(result.completed.confirmed.chainLength).to.equal(2);
      expect(rig!.sim.state.certificate('iamra_csr')?.content).to.match(/^-----BEGIN CERTIFICATE-----/);
    });
  });
});
