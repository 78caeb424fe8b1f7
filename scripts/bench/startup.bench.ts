/*
 * Startup of the offline commands (keystore build, keystore inspect, metadata generate) with the AWS
 * SDK loaded lazily, as shipped (src/shared/aws/sdkAdapter.ts imports it inside the calls), against
 * the same command modules with the SDK clients imported up front (what a top-level import would
 * cost every run). Each sample is a fresh node process importing the compiled command from lib/.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchReport, type BenchRow, timeMedian } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMMANDS = ['keystore/build', 'keystore/inspect', 'metadata/generate'];
const SDK = ['@aws-sdk/client-cloudformation', '@aws-sdk/client-acm', '@aws-sdk/credential-provider-node'];

function importTime(modules: string[]): void {
  const script = modules.map((m) => `await import(${JSON.stringify(m)});`).join('');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`import failed: ${run.stderr}`);
}

export default async function startupBench(): Promise<BenchReport> {
  const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 7);
  const rows: BenchRow[] = [];
  const ratios: BenchReport['ratios'] = [];
  for (const command of COMMANDS) {
    const module = pathToFileURL(join(root, 'lib', 'commands', 'iamra', `${command}.js`)).href;
    const lazy = `${command.replace('/', ' ')}: SDK lazy (shipped)`;
    const eager = `${command.replace('/', ' ')}: SDK imported up front`;
    // eslint-disable-next-line no-await-in-loop
    rows.push({ name: lazy, medianMs: await timeMedian(runs, () => importTime([module])), runs });
    // eslint-disable-next-line no-await-in-loop
    rows.push({ name: eager, medianMs: await timeMedian(runs, () => importTime([module, ...SDK])), runs });
    ratios.push({ label: `${command} eager / lazy`, numerator: eager, denominator: lazy });
  }
  return {
    title: 'Offline command startup: AWS SDK lazy vs up front (fresh node process, import of the compiled command)',
    rows,
    ratios,
    notes: ['Run `npm run build` first (npm run bench does). The SDK is loaded only by commands that call AWS.'],
  };
}
