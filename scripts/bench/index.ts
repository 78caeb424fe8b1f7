/*
 * `npm run bench`: runs every scripts/bench/*.bench.ts and prints medians and ratios against what
 * the user does today. A benchmark reports numbers; it never passes or fails on them.
 */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchReport, formatReport } from './measure.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts') && (!only || f.startsWith(only))).sort();
for (const file of files) {
  // eslint-disable-next-line no-await-in-loop
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<BenchReport> };
  // eslint-disable-next-line no-await-in-loop
  const report = await mod.default();
  process.stdout.write(formatReport(report) + '\n');
}
