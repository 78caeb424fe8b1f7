/*
 * sf iamra keystore build, positive paths: through the real sf binary with secrets from the
 * environment (schema-valid --json, no secret printed, 0600 file Java can open), and in-process for
 * secret routes, the generated password, --force and the notices.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import IamraKeystoreBuild from '../../src/commands/iamra/keystore/build.js';
import type { BuildKeystoreResult } from '../../src/shared/keystore/build.js';
import { passwordBytes, readJks } from '../../src/shared/keystore/jks.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import { SfCli, STACK_TRACE } from '../helpers/sfCli.js';
import { PASSPHRASE, pki, STOREPASS } from '../helpers/fixtures.js';
import { runInProcess } from '../helpers/runInProcess.js';
import { tempDir } from '../helpers/tempProject.js';
import { opens } from './verifiers.js';

const example = (name: string): string => pki('example', name);
const exampleArgs = ['--certificate', example('certificate.pem'), '--chain', example('certificate_chain.pem'), '--private-key', example('private_key.pem')];

describe('sf iamra keystore build', () => {
  const temp = tempDir();
  after(() => temp.cleanup());

  it('builds the example through the real sf binary: schema-valid --json, mode 0600, no secret printed', () => {
    const output = join(temp.dir, 'sf.jks');
    const run = SfCli.get().runSync(['iamra', 'keystore', 'build', ...exampleArgs, '--output', output, '--json'], {
      env: { IAMRA_KEY_PASSPHRASE: PASSPHRASE, IAMRA_KEYSTORE_PASSWORD: STOREPASS },
    });
    expect(run.code, run.stderr).to.equal(0);
    const result = run.json?.result as BuildKeystoreResult;
    expectMatchesSchema('iamra keystore build', result);
    expect(result).to.include({ path: output, alias: 'iamra', keyType: 'rsa', keySize: 2048, chainLength: 3, keystorePasswordOrigin: 'env' });
    expect(result.subject).to.include('CN=iamra-example');
    expect(result.chainSubjects.map((s) => /CN=([^,]+)/.exec(s)?.[1])).to.deep.equal(['iamra-example', 'intermediate-ca', 'root-ca']);
    expect(result.fingerprintSha256).to.match(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(result).to.not.have.property('generatedKeystorePassword');
    for (const secret of [PASSPHRASE, STOREPASS]) expect(run.stdout + run.stderr).to.not.include(secret);
    expect(statSync(output).mode & 0o777).to.equal(0o600);
    expect(opens(output, STOREPASS)).to.equal(true);
  });

  it('human output: the table, the next step in Salesforce Setup, no stack trace (real sf)', () => {
    const output = join(temp.dir, 'human.jks');
    const run = SfCli.get().runSync(['iamra', 'keystore', 'build', ...exampleArgs, '--output', output, '--alias', 'AWS_IamRA'], {
      env: { IAMRA_KEY_PASSPHRASE: PASSPHRASE, IAMRA_KEYSTORE_PASSWORD: STOREPASS },
    });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('CN=iamra-example');
    expect(run.stdout).to.include('RSA 2048');
    expect(run.stdout).to.match(/Import from Keystore/);
    expect(run.stdout).to.include('Unique Name will be "aws_iamra"');
    expect(run.stderr).to.match(/"AWS_IamRA" is written as "aws_iamra"/);
    expect(run.stdout + run.stderr).to.not.match(STACK_TRACE);
    expect(readJks(readFileSync(output), passwordBytes(STOREPASS)).entries[0].alias).to.equal('aws_iamra');
  });

  it('takes the secrets from --key-passphrase-file / --keystore-password-file', async () => {
    const output = join(temp.dir, 'files.jks');
    const storeFile = join(temp.dir, 'storepass.txt');
    writeFileSync(storeFile, 'from-a-file-123\n');
    const run = await runInProcess<BuildKeystoreResult>(IamraKeystoreBuild, [
      ...exampleArgs, '--output', output, '--key-passphrase-file', example('passphrase.txt'), '--keystore-password-file', storeFile,
    ]);
    expect(run.error).to.equal(undefined);
    expect(run.result?.keystorePasswordOrigin).to.equal('file');
    expect(opens(output, 'from-a-file-123')).to.equal(true);
    expect(run.output).to.not.include('from-a-file-123');
  });

  it('generates a keystore password when none is given and shows it exactly once (human output)', async () => {
    const output = join(temp.dir, 'generated.jks');
    const run = await runInProcess<BuildKeystoreResult>(IamraKeystoreBuild, [...exampleArgs, '--output', output], { IAMRA_KEY_PASSPHRASE: PASSPHRASE });
    expect(run.error).to.equal(undefined);
    const shown = /Keystore password \(generated[^)]*\): (\S+)/.exec(run.output)?.[1] ?? '';
    expect(shown).to.have.length(24);
    expect(run.output.split(shown).length - 1, 'shown once').to.equal(1);
    expect(opens(output, shown)).to.equal(true);
    expect(run.result?.keystorePasswordOrigin).to.equal('generated');
    expect(run.result).to.not.have.property('generatedKeystorePassword');
    expect(run.output).to.not.include(PASSPHRASE);
  });

  it('with --json, the generated password is in the result (the only place a script can read it) and nowhere else', () => {
    const output = join(temp.dir, 'generated-json.jks');
    const run = SfCli.get().runSync(['iamra', 'keystore', 'build', ...exampleArgs, '--output', output, '--json'], {
      env: { IAMRA_KEY_PASSPHRASE: PASSPHRASE },
    });
    expect(run.code, run.stderr).to.equal(0);
    const result = run.json?.result as BuildKeystoreResult;
    expectMatchesSchema('iamra keystore build', result);
    const password = result.generatedKeystorePassword ?? '';
    expect(password).to.have.length(24);
    expect(opens(output, password)).to.equal(true);
    expect(run.stdout.split(password).length - 1).to.equal(1);
    expect(run.stderr).to.not.include(password);
    expect(JSON.stringify(run.json?.warnings)).to.include('generatedKeystorePassword');
  });

  it('overwrites an existing output only with --force, atomically', async () => {
    const output = join(temp.dir, 'force.jks');
    writeFileSync(output, 'old');
    const env = { IAMRA_KEY_PASSPHRASE: PASSPHRASE, IAMRA_KEYSTORE_PASSWORD: STOREPASS };
    const refused = await runInProcess(IamraKeystoreBuild, [...exampleArgs, '--output', output], env);
    expect(refused.error?.message).to.match(/already exists/);
    expect(readFileSync(output, 'utf8')).to.equal('old');
    const forced = await runInProcess(IamraKeystoreBuild, [...exampleArgs, '--output', output, '--force'], env);
    expect(forced.error).to.equal(undefined);
    expect(opens(output, STOREPASS)).to.equal(true);
    expect(statSync(output).mode & 0o777).to.equal(0o600);
  });

  it('builds from a key whose ACM passphrase ended in a newline, with a hint', async () => {
    const output = join(temp.dir, 'newline.jks');
    const run = await runInProcess(
      IamraKeystoreBuild,
      ['--certificate', pki('leaf-rsa2048.pem'), '--private-key', pki('leaf-rsa2048.key.newline-passphrase.pem'), '--output', output],
      { IAMRA_KEY_PASSPHRASE: PASSPHRASE, IAMRA_KEYSTORE_PASSWORD: STOREPASS }
    );
    expect(run.error).to.equal(undefined);
    expect(run.output).to.match(/only with a newline appended to the passphrase/);
  });

  it('builds from a PKCS#12 file', async () => {
    const output = join(temp.dir, 'p12.jks');
    const run = await runInProcess<BuildKeystoreResult>(IamraKeystoreBuild, ['--pkcs12', pki('leaf-rsa2048.p12'), '--output', output], {
      IAMRA_KEY_PASSPHRASE: PASSPHRASE,
      IAMRA_KEYSTORE_PASSWORD: STOREPASS,
    });
    expect(run.error).to.equal(undefined);
    expect(run.result?.chainLength).to.equal(3);
  });
});
