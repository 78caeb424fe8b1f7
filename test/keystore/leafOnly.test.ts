/*
 * `keystore build` without the issuing chain: the keystore is still written (a leaf the trust anchor's
 * CA issued directly needs none), but it warns, naming the chain file ACM exports. One row also runs
 * through the real sf binary to show the warning on stderr and in --json `warnings`.
 */
import { join } from 'node:path';
import { expect } from 'chai';
import IamraKeystoreBuild from '../../src/commands/iamra/keystore/build.js';
import type { BuildKeystoreResult } from '../../src/shared/keystore/build.js';
import { SfCli } from '../helpers/sfCli.js';
import { PASSPHRASE, pki as fixture, STOREPASS } from '../helpers/fixtures.js';
import { runInProcess } from '../helpers/runInProcess.js';
import { tempDir } from '../helpers/tempProject.js';
import { opens } from './verifiers.js';

const secrets = { IAMRA_KEY_PASSPHRASE: PASSPHRASE, IAMRA_KEYSTORE_PASSWORD: STOREPASS };
const LEAF_ONLY = /holds only the certificate "iamra-example", without the chain of its issuer \(CN=intermediate-ca/;

describe('sf iamra keystore build: without the chain', () => {
  const temp = tempDir();
  after(() => temp.cleanup());

  const rows: Array<{ name: string; args: string[]; warns: boolean }> = [
    {
      name: 'CA-issued leaf, no --chain: warns and names certificate_chain.pem',
      args: ['--certificate', fixture('example', 'certificate.pem'), '--private-key', fixture('example', 'private_key.pem')],
      warns: true,
    },
    {
      name: 'with --chain: no warning',
      args: ['--certificate', fixture('example', 'certificate.pem'), '--private-key', fixture('example', 'private_key.pem'), '--chain', fixture('example', 'certificate_chain.pem')],
      warns: false,
    },
    {
      name: 'chain appended to the certificate file, no --chain: no warning',
      args: ['--certificate', fixture('leaf-rsa2048.fullchain.pem'), '--private-key', fixture('leaf-rsa2048.key.pem')],
      warns: false,
    },
  ];
  for (const [i, row] of rows.entries()) {
    it(row.name, async () => {
      const output = join(temp.dir, `row${i}.jks`);
      const run = await runInProcess<BuildKeystoreResult>(IamraKeystoreBuild, [...row.args, '--output', output], secrets);
      expect(run.error, run.output).to.equal(undefined);
      expect(opens(output, STOREPASS)).to.equal(true);
      const leafOnly = run.result?.findings.filter((f) => f.code === 'LeafOnly') ?? [];
      if (row.warns) {
        expect(leafOnly).to.have.length(1);
        expect(leafOnly[0]).to.include({ severity: 'warning' });
        expect(run.output).to.match(LEAF_ONLY);
        expect(leafOnly[0].action).to.match(/--chain.*certificate_chain\.pem/);
      } else {
        expect(leafOnly).to.deep.equal([]);
        expect(run.output).to.not.match(/without the chain of its issuer/);
      }
    });
  }

  it('through the real sf: exit 0, the warning on stderr and in --json warnings', async () => {
    const output = join(temp.dir, 'sf.jks');
    const args = ['iamra', 'keystore', 'build', ...rows[0].args, '--output', output];
    const [human, json] = await Promise.all([
      SfCli.get().run(args, { env: secrets }),
      SfCli.get().run([...args.slice(0, -1), join(temp.dir, 'sf-json.jks'), '--json'], { env: secrets }),
    ]);
    expect(human.code, human.stderr).to.equal(0);
    expect(human.stderr.replace(/\s*›\s*/g, ' ')).to.match(LEAF_ONLY);
    expect(json.json?.status).to.equal(0);
    expect((json.json?.warnings ?? []).map(String).join('\n')).to.match(LEAF_ONLY);
  });
});
