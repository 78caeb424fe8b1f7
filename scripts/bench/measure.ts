import { performance } from 'node:perf_hooks';

export type BenchRow = {
  name: string;
  /** Median wall time in milliseconds. */
  medianMs: number;
  runs: number;
  /** Anything else worth reporting (HTTP requests, peak RSS MiB, ...). */
  extra?: Record<string, number | string>;
};

export type BenchReport = {
  title: string;
  rows: BenchRow[];
  /** "ours / theirs" ratios to print, by row name. */
  ratios?: Array<{ label: string; numerator: string; denominator: string }>;
  notes?: string[];
};

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs fn `runs` times (after one warm-up) and returns the median wall time. */
export async function timeMedian(runs: number, fn: () => unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    // eslint-disable-next-line no-await-in-loop
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export function formatReport(report: BenchReport): string {
  const lines = [`\n## ${report.title}`];
  for (const row of report.rows) {
    const extra = Object.entries(row.extra ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    lines.push(`  ${row.name.padEnd(48)} median ${row.medianMs.toFixed(2).padStart(10)} ms  (n=${row.runs}) ${extra}`);
  }
  for (const ratio of report.ratios ?? []) {
    const num = report.rows.find((r) => r.name === ratio.numerator);
    const den = report.rows.find((r) => r.name === ratio.denominator);
    if (num && den && num.medianMs > 0) {
      lines.push(`  ratio ${ratio.label}: ${(den.medianMs / num.medianMs).toFixed(1)}x`);
    }
  }
  for (const note of report.notes ?? []) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
