/*
 * Keystore build: our in-process builder vs the admin guide's manual pipeline (openssl rsa ->
 * openssl pkcs12 -export -> keytool -importkeystore -> keytool -changealias) on the same example
 * PEMs. The manual pipeline runs only when openssl and keytool are on PATH.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKeystore } from '../../src/shared/keystore/build.js';
import { type BenchReport, type BenchRow, timeMedian } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const example = (name: string): string => join(root, 'test', 'fixtures', 'pki', 'example', name);
const PASSPHRASE = 'test-only-passphrase'; // test-only fixture secret (test/fixtures/pki/README.md)
const STOREPASS = 'bench-storepass';
const OURS = 'sf iamra keystore build (in-process)';
const MANUAL = 'openssl rsa + pkcs12 -export + keytool x2';

const hasTool = (tool: string, probe: string): boolean => spawnSync(tool, [probe]).status === 0;

function run(tool: string, args: string[]): void {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${tool} ${args[0]} failed: ${result.stderr}`);
}

export default async function keystoreBench(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'iamra-bench-'));
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    const output = join(dir, 'ours.jks');
    const runs = Number(process.env.BENCH_RUNS ?? 30);
    const ours = await timeMedian(runs, () =>
      buildKeystore({
        source: { kind: 'pem', certificateFile: example('certificate.pem'), privateKeyFile: example('private_key.pem'), chainFiles: [example('certificate_chain.pem')] },
        alias: 'iamra',
        output,
        force: true,
        askSecret: () => Promise.resolve(PASSPHRASE),
        keystorePassword: () => Promise.resolve({ value: STOREPASS, origin: 'env' }),
      })
    );
    rows.push({ name: OURS, medianMs: ours, runs, extra: { processPeakRssMiB: (process.resourceUsage().maxRSS / 1024).toFixed(0) } });

    if (hasTool('openssl', 'version') && hasTool('keytool', '-help')) {
      const manualRuns = Number(process.env.BENCH_MANUAL_RUNS ?? 5);
      const manual = await timeMedian(manualRuns, () => {
        const key = join(dir, 'decrypted.key'); // the manual guide writes the plaintext key to disk
        const p12 = join(dir, 'manual.p12');
        const jks = join(dir, 'manual.jks');
        rmSync(jks, { force: true });
        run('openssl', ['rsa', '-in', example('private_key.pem'), '-passin', `pass:${PASSPHRASE}`, '-out', key]);
        run('openssl', ['pkcs12', '-export', '-in', example('certificate.pem'), '-inkey', key, '-certfile', example('certificate_chain.pem'), '-passout', `pass:${STOREPASS}`, '-out', p12]);
        run('keytool', ['-importkeystore', '-noprompt', '-srckeystore', p12, '-srcstoretype', 'PKCS12', '-srcstorepass', STOREPASS, '-destkeystore', jks, '-deststoretype', 'JKS', '-deststorepass', STOREPASS]);
        run('keytool', ['-changealias', '-alias', '1', '-destalias', 'iamra', '-keystore', jks, '-storepass', STOREPASS]);
        rmSync(key);
      });
      rows.push({ name: MANUAL, medianMs: manual, runs: manualRuns, extra: { processes: 4 } });
    } else {
      notes.push('openssl or keytool not on PATH: manual pipeline not measured');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  notes.push('processPeakRssMiB is the whole bench process (ts-node compiler included), an upper bound for the build');
  notes.push('ours includes PBKDF2 decryption of the ACM-style key, chain ordering, all rule checks and the atomic 0600 write');
  return {
    title: 'keystore build: in-process vs manual openssl + keytool pipeline (example PEMs)',
    rows,
    ratios: [{ label: 'manual / ours', numerator: OURS, denominator: MANUAL }],
    notes,
  };
}
