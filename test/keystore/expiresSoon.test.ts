/*
 * The "expires within 30 days" warning through the real sf binary, on a leaf minted at test time to
 * expire in 10 days: `keystore build` succeeds, warns on stderr naming the expiry date and puts the
 * warning in --json `warnings`; `keystore inspect` reports the same finding as a warning, exit 0.
 */
import { join } from 'node:path';
import { expect } from 'chai';
import type { BuildKeystoreResult } from '../../src/shared/keystore/build.js';
import type { InspectKeystoreResult } from '../../src/shared/keystore/inspect.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import { plainText } from '../helpers/pty.js';
import { SfCli, type SfRun, STACK_TRACE } from '../helpers/sfCli.js';
import { STOREPASS } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tempProject.js';
import { type MintedLeaf, mintLeafExpiringIn } from './mintCertificate.js';
import { opens } from './verifiers.js';

const DAYS_LEFT = 10;
/** notAfter is 10 days and this much from now, so "in 10 days" holds however slow the run. */
const MARGIN_MS = 60 * 60 * 1000;
const env = { IAMRA_KEYSTORE_PASSWORD: STOREPASS };

describe('sf iamra keystore build/inspect: a certificate that expires within 30 days', () => {
  const temp = tempDir();
  const built = { human: join(temp.dir, 'human.jks'), json: join(temp.dir, 'json.jks') };
  let leaf: MintedLeaf;
  let warning: string;
  const runs: Record<'build' | 'buildJson' | 'inspect' | 'inspectJson', SfRun> = {} as never;
  after(() => temp.cleanup());

  before(async () => {
    leaf = mintLeafExpiringIn(temp.dir, DAYS_LEFT, { extraMs: MARGIN_MS });
    warning = `The certificate "leaf-expires-soon" expires on ${leaf.notAfter.toISOString()}, in ${DAYS_LEFT} days.`;
    const sf = SfCli.get();
    const build = (output: string, json: boolean): Promise<SfRun> =>
      sf.run(
        ['iamra', 'keystore', 'build', '--certificate', leaf.certificate, '--private-key', leaf.privateKey, '--chain', leaf.chain,
          '--output', output, ...(json ? ['--json'] : [])],
        { env }
      );
    [runs.build, runs.buildJson] = await Promise.all([build(built.human, false), build(built.json, true)]);
    [runs.inspect, runs.inspectJson] = await Promise.all([
      sf.run(['iamra', 'keystore', 'inspect', '--keystore', built.human], { env }),
      sf.run(['iamra', 'keystore', 'inspect', '--keystore', built.human, '--json'], { env }),
    ]);
  });

  it('control: the minted leaf went in as meant (RSA 2048, chain leaf + test issuing CA + root, notAfter 10 days out)', () => {
    const result = runs.buildJson.json?.result as BuildKeystoreResult;
    expect(result).to.include({ keyType: 'rsa', keySize: 2048, chainLength: 3, notAfter: leaf.notAfter.toISOString() });
  });

  it('build: exit 0, the warning with the expiry date on stderr, the keystore written', () => {
    const run = runs.build;
    expect(run.code, run.stderr).to.equal(0);
    expect(plainText(run.stderr)).to.include(`Warning: ${warning}`);
    expect(plainText(run.stdout)).to.not.include(warning);
    expect(run.stdout).to.include(`Wrote ${built.human}`);
    expect(run.stdout + run.stderr).to.not.match(STACK_TRACE);
    expect(run.stdout + run.stderr).to.not.include(STOREPASS);
    expect(opens(built.human, STOREPASS)).to.equal(true);
  });

  it('build --json: exit 0, the warning in `warnings` and as a finding of the result, the keystore written', () => {
    const run = runs.buildJson;
    expect(run.code, run.stderr).to.equal(0);
    expect(run.json?.status).to.equal(0);
    expect(run.json?.warnings).to.deep.include(warning);
    const result = run.json?.result as BuildKeystoreResult;
    expectMatchesSchema('iamra keystore build', result);
    expect(result.findings.map(({ severity, code, message }) => ({ severity, code, message }))).to.deep.equal([
      { severity: 'warning', code: 'ExpiresSoon', message: warning },
    ]);
    expect(run.stdout + run.stderr).to.not.include(STOREPASS);
    expect(opens(built.json, STOREPASS)).to.equal(true);
  });

  it('inspect: exit 0, the ExpiresSoon warning with its date in the findings table, no problem counted', () => {
    const run = runs.inspect;
    expect(run.code, run.stderr).to.equal(0);
    const shown = plainText(run.stdout);
    expect(shown).to.match(/warning\s*│?\s*ExpiresSoon/);
    expect(shown).to.include(leaf.notAfter.toISOString());
    expect(shown).to.not.match(/problem\(s\) found/);
    expect(run.stdout + run.stderr).to.not.match(STACK_TRACE);
  });

  it('inspect --json: exit 0, the same warning as a finding of the result', () => {
    const run = runs.inspectJson;
    expect(run.code, run.stderr).to.equal(0);
    const result = run.json?.result as InspectKeystoreResult;
    expectMatchesSchema('iamra keystore inspect', result);
    expect(result.findings.map(({ severity, code, message }) => ({ severity, code, message }))).to.deep.equal([
      { severity: 'warning', code: 'ExpiresSoon', message: warning },
    ]);
  });
});
