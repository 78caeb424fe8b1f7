/*
 * `sf iamra doctor` against a configured org simulator, through the real sf, next to `sf org display`
 * (the cheapest org command sf has: what any check costs at least). Wall time and the HTTP requests
 * the org received; with and without the live callout.
 */
import { ARN_FLAGS } from '../../test/helpers/fixtures.js';
import { tempProject } from '../../test/helpers/tempProject.js';
import { SfCli } from '../../test/helpers/sfCli.js';
import type { BenchReport } from './measure.js';
import { connectorOrg, FIXTURE_AWS_ACCOUNT, freshOrg, type Sample, sampleRow as row } from './orgSamples.js';

const DOCTOR = 'sf iamra doctor (real sf, live S3 check)';
const DOCTOR_NO_CALLOUT = 'sf iamra doctor --no-callout (real sf)';
const DISPLAY = 'sf org display (real sf)';

export default async function doctorBench(): Promise<BenchReport> {
  const runs = Number(process.env.BENCH_ORG_RUNS ?? 3);
  const sf = SfCli.get();
  const env = { SF_IAMRA_POLL_MS: '50' };
  const project = tempProject({ prefix: 'iamra-bench-doctor-' });
  const dir = project.dir;
  const { sim, alias } = await freshOrg(sf, 'bench-doctor', { orgType: 'production', aws: FIXTURE_AWS_ACCOUNT, seed: connectorOrg });
  const samples: Record<string, Sample[]> = { [DOCTOR]: [], [DOCTOR_NO_CALLOUT]: [], [DISPLAY]: [] };
  const measure = async (name: string, args: string[], okCodes: number[]): Promise<void> => {
    const before = sim.requests.length;
    const start = performance.now();
    const run = await sf.run([...args, '--target-org', alias, '--json'], { cwd: dir, env });
    const ms = performance.now() - start;
    if (!okCodes.includes(run.code)) throw new Error(`${args.join(' ')} failed (${run.code}): ${run.stdout}${run.stderr}`);
    samples[name].push({ ms, requests: sim.requests.length - before });
  };
  try {
    const deploy = await sf.run(['iamra', 'deploy', '--service', 's3', ...ARN_FLAGS, '--target-org', alias, '--json'], { cwd: dir, env });
    if (deploy.code !== 0) throw new Error(`sf iamra deploy failed: ${deploy.stdout}${deploy.stderr}`);
    for (let i = 0; i < runs; i++) {
      /* eslint-disable no-await-in-loop */
      await measure(DOCTOR, ['iamra', 'doctor'], [0]);
      await measure(DOCTOR_NO_CALLOUT, ['iamra', 'doctor', '--no-callout'], [0]);
      await measure(DISPLAY, ['org', 'display'], [0]);
      /* eslint-enable no-await-in-loop */
    }
  } finally {
    await sim.close();
    project.cleanup();
  }
  return {
    title: 'Doctor: every check of a configured org vs sf org display',
    rows: [row(DOCTOR, samples[DOCTOR]), row(DOCTOR_NO_CALLOUT, samples[DOCTOR_NO_CALLOUT]), row(DISPLAY, samples[DISPLAY])],
    ratios: [{ label: 'sf org display time / doctor (below 1 = doctor slower)', numerator: DOCTOR, denominator: DISPLAY }],
    notes: ['httpRequests = requests the simulated org received; doctor reads in parallel: one retrieve (+ status polls), five queries, Connect, one anonymous Apex'],
  };
}
