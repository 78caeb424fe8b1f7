/*
 * What the org benches (configure, org, doctor) share: a fresh simulator logged in to the real sf, a
 * timed sample of the wall time and the HTTP requests the org received, and its report row.
 */
import { SfCli } from '../../test/helpers/sfCli.js';
import { startOrgSimulator, type OrgSimulator, type OrgSimulatorOptions } from '../../test/simulator/index.js';
import { loginSf } from '../../test/simulator/sfLogin.js';
import { importTestKeystore, testAwsAccount } from '../../test/simulator/harness/testAws.js';
import { ARN_FLAGS } from '../../test/helpers/fixtures.js';
import type { OrgState } from '../../test/simulator/index.js';
import { type BenchRow, median } from './measure.js';

export type Sample = { ms: number; requests: number };

/** The org the plugin targets: the connector (namespace awsapn) installed, the test keystore imported. */
export function connectorOrg(state: OrgState): void {
  state.installPackage('awsapn');
  importTestKeystore(state);
}

/** The AWS account of test/helpers/fixtures.ts's ARNs: the org's callouts reach it. */
export const FIXTURE_AWS_ACCOUNT = testAwsAccount({ anchor: ARN_FLAGS[1], profile: ARN_FLAGS[3], role: ARN_FLAGS[5] });

let seq = 0;

/** A fresh simulator (its own username, so several share one sf HOME) and the alias sf knows it by. */
export async function freshOrg(sf: SfCli, name: string, options: OrgSimulatorOptions): Promise<{ sim: OrgSimulator; alias: string }> {
  const id = `${process.pid}-${++seq}`;
  const sim = await startOrgSimulator({ username: `${name}-${id}@iamra-sim.example.com`, ...options });
  const alias = `iamra-${name}-${id}`;
  await loginSf(sf, sim, alias);
  return { sim, alias };
}

export async function timed(sim: OrgSimulator, work: () => Promise<void>): Promise<Sample> {
  const before = sim.requests.length;
  const start = performance.now();
  await work();
  return { ms: performance.now() - start, requests: sim.requests.length - before };
}

export function expectOk(what: string, run: { code: number; stdout: string; stderr: string }): void {
  if (run.code !== 0) throw new Error(`${what} failed (${run.code}): ${run.stdout}${run.stderr}`);
}

export function sampleRow(name: string, samples: Sample[]): BenchRow {
  return { name, medianMs: median(samples.map((s) => s.ms)), runs: samples.length, extra: { httpRequests: median(samples.map((s) => s.requests)) } };
}
