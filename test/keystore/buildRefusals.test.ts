/*
 * Every refusal the issue lists, through the command: non-zero exit, the problem named, the fix
 * offered, no stack trace, nothing written. Most rows run in-process for speed; the rows marked
 * `sf` also run through the real sf binary.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import IamraKeystoreBuild from '../../src/commands/iamra/keystore/build.js';
import { SfCli, type SfRun, STACK_TRACE } from '../helpers/sfCli.js';
import { createReadOnlyMount, createUnwritableDir, skipWithoutReadOnlyMount, skipWithoutUnwritableDir } from '../helpers/unwritableDir.js';
import { PASSPHRASE, pki, STOREPASS } from '../helpers/fixtures.js';
import { runInProcess } from '../helpers/runInProcess.js';
import { tempDir } from '../helpers/tempProject.js';

type Row = {
  name: string;
  /** Flags besides --output (paths are fixture-relative unless absolute). */
  args: string[];
  env?: Record<string, string>;
  message: RegExp;
  /** Also expected somewhere in the actions (the fix). */
  action?: RegExp;
  sf?: boolean;
  /** Needs a directory even root cannot write (skipped loudly where none can be made). */
  unwritable?: boolean;
  /** Needs the read-only tmpfs mount. */
  readOnly?: boolean;
};

const secrets = { IAMRA_KEY_PASSPHRASE: PASSPHRASE, IAMRA_KEYSTORE_PASSWORD: STOREPASS };
const pemArgs = (cert: string, key: string, chain = true): string[] => [
  '--certificate', pki(cert), '--private-key', pki(key), ...(chain ? ['--chain', pki('chain.pem')] : []),
];

describe('sf iamra keystore build: refusals', () => {
  const temp = tempDir();
  const inputs = join(temp.dir, 'inputs');
  mkdirSync(inputs);
  const empty = join(inputs, 'empty.pem');
  const blank = join(inputs, 'blank.pem');
  const garbage = join(inputs, 'garbage.pem');
  const loop = join(inputs, 'loop.pem');
  writeFileSync(empty, '');
  writeFileSync(blank, '\n  \n');
  writeFileSync(garbage, 'this is not a certificate\n');
  const huge = join(inputs, 'huge.pem');
  writeFileSync(huge, Buffer.alloc(2 * 1024 * 1024, 'A'));
  symlinkSync(loop, loop); // ELOOP: unreadable even for root, which ignores file modes
  const existing = join(inputs, 'existing.jks');
  writeFileSync(existing, 'keep me');
  const unwritable = createUnwritableDir(temp.dir);
  const readOnly = createReadOnlyMount(temp.dir);
  after(() => {
    unwritable?.release();
    readOnly.mount?.release();
    temp.cleanup();
  });

  const rows: Row[] = [
    { name: 'wrong key passphrase', args: pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.aes256.pem'), env: { ...secrets, IAMRA_KEY_PASSPHRASE: 'not-the-passphrase' }, message: /wrong passphrase/, action: /IAMRA_KEY_PASSPHRASE/, sf: true },
    { name: 'missing key passphrase (non-interactive)', args: pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.aes256.pem'), env: { IAMRA_KEYSTORE_PASSWORD: STOREPASS }, message: /encrypted, and no passphrase was given/, action: /IAMRA_KEY_PASSPHRASE[\s\S]*--key-passphrase-file/, sf: true },
    { name: 'wrong PKCS#12 password', args: ['--pkcs12', pki('leaf-rsa2048.p12')], env: { ...secrets, IAMRA_KEY_PASSPHRASE: 'nope-nope' }, message: /wrong passphrase/ },
    { name: 'key does not match the certificate', args: pemArgs('leaf-rsa3072.pem', 'leaf-rsa2048.key.pem'), env: secrets, message: /private key does not belong to any certificate/, action: /same AWS Certificate Manager export/ },
    { name: 'key not RSA (EC P-256)', args: pemArgs('leaf-ec-p256.pem', 'leaf-ec-p256.key.aes256.pem'), env: secrets, message: /ec \(prime256v1\); Salesforce imports only RSA/, action: /RSA 2048/, sf: true },
    { name: 'RSA 1024 bits', args: pemArgs('leaf-rsa1024.pem', 'leaf-rsa1024.key.pem'), env: secrets, message: /1024 bits; Salesforce accepts only 2048, 3072 or 4096/ },
    { name: 'leaf is a CA', args: pemArgs('leaf-ca.pem', 'leaf-rsa2048.key.pem'), env: secrets, message: /CA:TRUE/, action: /end-entity/ },
    { name: 'leaf lacks keyUsage digitalSignature', args: pemArgs('leaf-no-digital-signature.pem', 'leaf-rsa2048.key.pem'), env: secrets, message: /does not include digitalSignature/ },
    { name: 'leaf signed with SHA-1', args: pemArgs('leaf-sha1.pem', 'leaf-rsa2048.key.pem'), env: secrets, message: /signed with sha1WithRSAEncryption/, action: /SHA-256/ },
    { name: 'certificate expired', args: pemArgs('leaf-expired.pem', 'leaf-rsa2048.key.pem'), env: secrets, message: /"leaf-expired" expired on 2021-01-01/, action: /Renew/ },
    { name: 'certificate not yet valid', args: pemArgs('leaf-not-yet-valid.pem', 'leaf-rsa2048.key.pem'), env: secrets, message: /not valid until 2040-01-01/ },
    { name: 'foreign certificate in the chain', args: [...pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.pem'), '--chain', pki('other-root-ca.pem')], env: secrets, message: /does not belong to the chain.*CN=other-root-ca/ },
    { name: 'empty certificate file', args: ['--certificate', empty, '--private-key', pki('leaf-rsa2048.key.pem')], env: secrets, message: /certificate file is empty/ },
    { name: 'whitespace-only key file', args: ['--certificate', pki('leaf-rsa2048.pem'), '--private-key', blank], env: secrets, message: /private key file is empty/ },
    { name: 'garbage certificate file', args: ['--certificate', garbage, '--private-key', pki('leaf-rsa2048.key.pem')], env: secrets, message: /No certificate was found/ },
    { name: 'huge certificate file', args: ['--certificate', huge, '--private-key', pki('leaf-rsa2048.key.pem')], env: secrets, message: /too large to be one/ },
    { name: 'binary key file', args: ['--certificate', pki('leaf-rsa2048.pem'), '--private-key', pki('leaf-rsa2048.p12')], env: secrets, message: /binary, not PEM text/, action: /--pkcs12/ },
    { name: 'certificate path is a directory', args: ['--certificate', inputs, '--private-key', pki('leaf-rsa2048.key.pem')], env: secrets, message: /is a directory, not a file/, sf: true },
    { name: 'unreadable key file', args: ['--certificate', pki('leaf-rsa2048.pem'), '--private-key', loop], env: secrets, message: /cannot be read.*ELOOP/ },
    { name: 'missing file', args: ['--certificate', join(inputs, 'nope.pem'), '--private-key', pki('leaf-rsa2048.key.pem')], env: secrets, message: /does not exist/ },
    { name: 'keystore password shorter than 6', args: pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.pem'), env: { IAMRA_KEYSTORE_PASSWORD: 'abc12' }, message: /fewer than 6 characters/ },
    { name: 'keystore password with non-printable characters', args: pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.pem'), env: { IAMRA_KEYSTORE_PASSWORD: 'abc\u0007defgh' }, message: /other than printable ASCII/ },
    { name: 'invalid alias', args: [...pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.pem'), '--alias', 'iam__ra'], env: secrets, message: /"iam__ra" is not a valid Salesforce Unique Name/ },
    { name: 'output exists without --force', args: [...pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.pem'), '--output', existing], env: secrets, message: /already exists/, action: /--force/ },
    { name: 'output under a file', args: [...pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.pem'), '--output', join(existing, 'iamra.jks')], env: secrets, message: /keystore cannot be written to .*existing\.jks is a file, not a directory/, action: /directory you can write to/ },
    { name: 'output is a directory', args: [...pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.pem'), '--output', inputs], env: secrets, message: /keystore cannot be written to .*inputs: it is a directory/ },
    { name: 'output in a directory nobody may write', args: [...pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.pem'), '--output', join(unwritable?.path ?? temp.dir, 'iamra.jks')], env: secrets, message: /you may not create files in .*immutable/, unwritable: true },
    { name: 'output on a read-only file system (EROFS)', args: [...pemArgs('leaf-rsa2048.pem', 'leaf-rsa2048.key.pem'), '--output', join(readOnly.mount?.path ?? temp.dir, 'iamra.jks')], env: secrets, message: /keystore cannot be written to .*read-only[/]iamra\.jks: .*read-only is on a read-only file system/, action: /directory you can write to/, readOnly: true },
  ];

  for (const row of rows) {
    it(`refuses: ${row.name}`, async function () {
      if (row.unwritable && !unwritable) skipWithoutUnwritableDir(this);
      if (row.readOnly && !readOnly.mount) skipWithoutReadOnlyMount(this, readOnly.reason);
      const output = join(temp.dir, `${row.name.replace(/\W+/g, '-')}.jks`);
      const argv = row.args.includes('--output') ? row.args : [...row.args, '--output', output];
      const run = await runInProcess(IamraKeystoreBuild, argv, row.env ?? {});
      expect(run.error, `expected a refusal; output: ${run.output}`).to.not.equal(undefined);
      expect(run.error?.exitCode ?? 1).to.not.equal(0);
      expect(run.error?.message).to.match(row.message);
      expect(run.output, 'the user sees the problem').to.match(row.message);
      if (row.action) expect((run.error?.actions ?? []).join('\n')).to.match(row.action);
      expect(run.output).to.not.match(STACK_TRACE);
      expect(existsSync(output), 'nothing written').to.equal(false);
      expect(readFileSync(existing, 'utf8'), 'an existing file is untouched').to.equal('keep me');
      expect(readdirSync(temp.dir).filter((f) => f.endsWith('.tmp')), 'no temp file left').to.deep.equal([]);
      for (const secret of Object.values(row.env ?? {})) expect(run.output).to.not.include(secret);
    });
  }

  describe('through the real sf binary', () => {
    const sfRows = rows.filter((r) => r.sf);
    const outputOf = (row: Row): string => join(temp.dir, `sf-${row.name.replace(/\W+/g, '-')}.jks`);
    let runs: SfRun[] = [];
    before(async () => {
      // the rows are independent: run the sf processes side by side
      runs = await Promise.all(
        sfRows.map((row) => SfCli.get().run(['iamra', 'keystore', 'build', ...row.args, '--output', outputOf(row)], { env: row.env }))
      );
    });
    for (const [index, row] of sfRows.entries()) {
      it(`refuses: ${row.name}`, () => {
        const output = outputOf(row);
        const run = runs[index];
        expect(run.code, run.stderr).to.not.equal(0);
        expect(run.stderr).to.match(row.message);
        expect(run.stderr + run.stdout).to.not.match(STACK_TRACE);
        expect(existsSync(output)).to.equal(false);
        for (const secret of Object.values(row.env ?? {})) expect(run.stdout + run.stderr).to.not.include(secret);
      });
    }
  });
});
