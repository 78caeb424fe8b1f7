/*
 * What the lazily loaded libraries cost on first use, on top of @salesforce/core (which sf has loaded
 * before any plugin command runs): @salesforce/apex-node for the smoke test, undici for the IAM Roles
 * Anywhere HTTP call. Each is timed in a fresh Node process, so nothing is cached. Numbers only.
 */
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../../test/helpers/sfCli.js';
import { type BenchReport, type BenchRow, median } from './measure.js';

const RUNS = 7;

/** Milliseconds the `import(specifier)` took after core was loaded, in a fresh process. */
function importCost(specifier: string): number {
  const script = [
    "await import('@salesforce/core');",
    'const start = performance.now();',
    `await import(${JSON.stringify(specifier)});`,
    'process.stdout.write(String(performance.now() - start));',
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`importing ${specifier} failed: ${run.stderr}`);
  return Number(run.stdout);
}

export default function bench(): Promise<BenchReport> {
  const rows: BenchRow[] = ['@salesforce/apex-node', 'undici'].map((specifier) => ({
    name: `first import of ${specifier} (after core)`,
    medianMs: median(Array.from({ length: RUNS }, () => importCost(specifier))),
    runs: RUNS,
  }));
  return Promise.resolve({
    title: 'Lazily loaded libraries (cost paid only by the commands that use them)',
    rows,
    notes: ['sf iamra smoke pays the apex-node import once per run; no other command loads it.'],
  });
}
