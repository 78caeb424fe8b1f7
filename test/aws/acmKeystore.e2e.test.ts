/*
 * `sf iamra keystore build --stack-name / --acm-certificate-arn` through the real sf and SDK against
 * the local control-plane endpoint: the guide's ACM private certificate exported with a passphrase
 * made in memory, decrypted in memory (ACM's PBES2 / PBKDF2-HMAC-SHA1 / AES-256-CBC key), written
 * as a JKS the keystore reader and keytool open; each refusal a row; nothing secret left anywhere.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SfCli, STACK_TRACE } from '../helpers/sfCli.js';
import { javaMissing, keytool, opens } from '../keystore/verifiers.js';
import { ACM_ARN, awsWorld, CA_ARN, KEYS, REGION, STACK, type AwsWorld, type AwsWorldOptions } from './awsWorld.js';
import { expectNoSecretsLeft } from './secretScan.js';

const STOREPASS = 'acm-test-storepass-1';

type BuildJson = { path: string; alias: string; chainLength: number; acmCertificateArn?: string; keystorePasswordOrigin: string };

describe('keystore build from ACM (real sf, real SDK)', function () {
  this.timeout(180_000);
  let sf: SfCli;
  let world: AwsWorld;
  let work: string;
  before(async () => {
    sf = SfCli.get();
    world = await awsWorld();
    work = mkdtempSync(join(tmpdir(), 'iamra-acm-'));
    writeFileSync(join(work, 'storepass.txt'), `${STOREPASS}\n`);
  });
  after(async () => {
    await world?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const build = (args: string[], w: AwsWorld = world, env: NodeJS.ProcessEnv = {}): ReturnType<SfCli['run']> =>
    sf.run(['iamra', 'keystore', 'build', '--keystore-password-file', 'storepass.txt', ...args], { cwd: work, env: { ...w.env, ...env } });

  it('--stack-name --yes: DescribeStacks, DescribeCertificate, ExportCertificate, then a JKS with the leaf -> root chain', async () => {
    const before = world.endpoint.calls.length;
    const run = await build(['--stack-name', STACK, '--output', 'stack.jks', '--yes', '--json'], world, { DEBUG: '*' });
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    // DEBUG=* makes sf print its debug lines to stdout too; the JSON document follows them
    const result = (JSON.parse(run.stdout.slice(run.stdout.search(/^\{/m))) as { result: BuildJson }).result;
    expect(result).to.deep.include({ acmCertificateArn: ACM_ARN, chainLength: 3, alias: 'iamra', keystorePasswordOrigin: 'file' });
    expect(opens(join(work, 'stack.jks'), STOREPASS)).to.equal(true);
    expect(world.endpoint.calls.slice(before).map((c) => `${c.service}:${c.operation}:${c.region}:${c.status}`)).to.deep.equal([
      `cloudformation:DescribeStacks:${REGION}:200`,
      `acm:DescribeCertificate:${REGION}:200`,
      `acm:ExportCertificate:${REGION}:200`,
    ]);
    const passphrase = world.endpoint.exportPassphrases.at(-1)!;
    expect(passphrase).to.match(/^[\x21-\x7e]{4,128}$/).and.not.match(/[#$%]/);
    expectNoSecretsLeft({ dirs: [work, sf.home], texts: [run.stdout, run.stderr], secrets: [passphrase, KEYS.default.secretAccessKey] });
    // the store password is the user's own file here; it must not be echoed
    expectNoSecretsLeft({ dirs: [], texts: [run.stdout, run.stderr], secrets: [STOREPASS] });
    expect(readdirSync(work).sort()).to.deep.equal(['stack.jks', 'storepass.txt']);
  });

  it('keytool opens it: one PrivateKeyEntry', function () {
    if (javaMissing) {
      // Only where Java is absent (this machine image has Java 17). To un-skip: install a JDK so keytool is on PATH.
      // eslint-disable-next-line no-console
      console.warn('!!! SKIPPING the keytool check of the ACM-built keystore: keytool is not on PATH');
      this.skip();
    }
    const listed = keytool(['-list', '-keystore', join(work, 'stack.jks'), '-storepass', STOREPASS, '-storetype', 'JKS']);
    expect(listed.code, listed.out).to.equal(0);
    expect(listed.out).to.match(/iamra, .*PrivateKeyEntry/);
  });

  it('--acm-certificate-arn takes the certificate directly, in its own region, and says the export is charged', async () => {
    const run = await build(['--acm-certificate-arn', ACM_ARN, '--output', 'arn.jks', '--yes']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout + run.stderr).to.match(/ACM charges for each export/);
    expect(opens(join(work, 'arn.jks'), STOREPASS)).to.equal(true);
  });

  it('without --yes and nobody to ask, nothing is exported (ACM charges for it)', async () => {
    const before = world.endpoint.exportPassphrases.length;
    const run = await build(['--stack-name', STACK, '--output', 'unconfirmed.jks', '--json']);
    expect(run.code).to.equal(1);
    expect(run.json?.message).to.match(/ACM charges for each export of a private certificate; the export was not confirmed/);
    expect((run.json?.actions ?? []).join('\n')).to.match(/--yes/);
    expect(world.endpoint.exportPassphrases.length).to.equal(before);
    expect(readdirSync(work)).to.not.include('unconfirmed.jks');
  });

  type Row = { name: string; world?: () => AwsWorldOptions; args: string[]; message: RegExp; action?: RegExp };
  const certificateWith =
    (acmOverride: AwsWorldOptions['acmOverride']) =>
    (): AwsWorldOptions => ({ acmOverride });
  const rows: Row[] = [
    { name: 'an imported (not PRIVATE) certificate', world: certificateWith({ type: 'IMPORTED' }), args: ['--acm-certificate-arn', ACM_ARN], message: /is of type IMPORTED; only PRIVATE certificates/ },
    { name: 'a certificate not ISSUED', world: certificateWith({ status: 'PENDING_VALIDATION' }), args: ['--acm-certificate-arn', ACM_ARN], message: /is PENDING_VALIDATION, not ISSUED/ },
    { name: 'an expired certificate', world: certificateWith({ expired: true }), args: ['--acm-certificate-arn', ACM_ARN], message: /expired on \d{4}-/, action: /aws acm renew-certificate/ },
    {
      name: 'AccessDenied on the description (names acm:DescribeCertificate)',
      world: () => ({ deniedActions: ['acm:DescribeCertificate'] }),
      args: ['--acm-certificate-arn', ACM_ARN],
      message: /AWS denied acm:DescribeCertificate on arn:aws:acm:us-west-2/,
      action: /Allow the IAM action acm:DescribeCertificate/,
    },
    {
      name: 'AccessDenied on the export (names acm:ExportCertificate)',
      world: () => ({ deniedActions: ['acm:ExportCertificate'] }),
      args: ['--acm-certificate-arn', ACM_ARN],
      message: /AWS denied acm:ExportCertificate on arn:aws:acm:us-west-2/,
      action: /Allow the IAM action acm:ExportCertificate/,
    },
    { name: '--aws-region against the ARN\'s region', args: ['--acm-certificate-arn', ACM_ARN, '--aws-region', 'eu-west-1'], message: /--aws-region eu-west-1 does not match .* which lives in us-west-2/ },
    { name: 'a certificate ARN of another region', args: ['--acm-certificate-arn', ACM_ARN.replace(REGION, 'eu-west-1')], message: /ACM has no certificate .* in region eu-west-1/ },
    { name: 'a Private CA ARN given as the certificate', args: ['--acm-certificate-arn', CA_ARN], message: /is not an ACM certificate ARN/ },
    { name: 'a stack without a certificate output', world: () => ({ stacks: [{ name: STACK, region: REGION, status: 'CREATE_COMPLETE', outputs: [] }] }), args: ['--stack-name', STACK], message: /has no output holding an ACM certificate ARN/ },
  ];
  for (const row of rows) {
    it(`refuses ${row.name}, in words, before any keystore is written`, async () => {
      const w = row.world ? await awsWorld(row.world()) : world;
      try {
        const output = `refused-${rows.indexOf(row)}.jks`;
        const run = await build([...row.args, '--output', output, '--yes', '--json'], w);
        expect(run.code, run.stdout + run.stderr).to.equal(1);
        expect(run.json?.message).to.match(row.message);
        if (row.action) expect((run.json?.actions ?? []).join('\n')).to.match(row.action);
        const human = await build([...row.args, '--output', output, '--yes'], w);
        expect(human.stderr).to.match(row.message).and.not.match(STACK_TRACE);
        expect(readdirSync(work)).to.not.include(output);
      } finally {
        if (w !== world) await w.close();
      }
    });
  }
});
