/*
 * Shared test plumbing for the keystore area: fixture paths, the keytool/Java verifiers (skipped
 * loudly when absent) and an in-process command runner that captures what the user would see.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwordBytes, readJks } from '../../src/shared/keystore/jks.js';
import { projectRoot } from '../helpers/sfCli.js';
import { signalListenerGuard } from '../helpers/signals.js';

export const pki = join(projectRoot, 'test', 'fixtures', 'pki');
export const fixture = (...parts: string[]): string => join(pki, ...parts);
/** Test-only secrets of the committed fixtures (see test/fixtures/pki/README.md). */
export const PASSPHRASE = 'test-only-passphrase';
export const STOREPASS = 'test-only-storepass';

const hasTool = (tool: string, probe: string): boolean => spawnSync(tool, [probe], { encoding: 'utf8' }).status === 0;
export const javaTools = { java: hasTool('java', '-version'), keytool: hasTool('keytool', '-help') };
export const javaMissing = !javaTools.java || !javaTools.keytool;

/** Skips a suite with a loud reason when the JDK is absent (it is present in dev and CI). */
export function skipWithoutJava(context: Mocha.Context): void {
  if (javaMissing) {
    // eslint-disable-next-line no-console
    console.warn(`\n  !!! SKIPPING keytool/Java verification: java=${javaTools.java} keytool=${javaTools.keytool} not on PATH !!!\n`);
    context.skip();
  }
}

export function keytool(args: string[]): { code: number; out: string } {
  const run = spawnSync('keytool', args, { encoding: 'utf8' });
  return { code: run.status ?? 1, out: `${run.stdout}${run.stderr}` };
}

export type VerifyCase = { file: string; password: string; alias: string; chainLength: number };

/** Runs test/keystore/java/VerifyJks.java once for all stores; returns "OK" or the failure per file. */
export function verifyWithJava(cases: VerifyCase[]): Map<string, string> {
  const args = cases.flatMap((c) => [c.file, c.password, c.alias, String(c.chainLength)]);
  const run = spawnSync('java', [join(projectRoot, 'test', 'keystore', 'java', 'VerifyJks.java'), ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`VerifyJks did not run: ${run.stderr}`);
  const results = new Map<string, string>();
  for (const line of run.stdout.split('\n')) {
    const ok = /^OK (.+)$/.exec(line);
    const fail = /^FAIL (.+?): (.*)$/.exec(line);
    if (ok) results.set(ok[1], 'OK');
    if (fail) results.set(fail[1], fail[2]);
  }
  return results;
}

/** True when `file` is a JKS that our reader opens with `password` and holds exactly one entry. */
export function opens(file: string, password: string): boolean {
  try {
    return readJks(readFileSync(file), passwordBytes(password)).entries.length === 1;
  } catch {
    return false;
  }
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'iamra-keystore-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export type CapturedRun<T> = { result?: T; error?: Error & { exitCode?: number; actions?: string[] }; output: string };

/**
 * Runs an oclif command class in-process, non-interactively (stdin is not a TTY), with `env` added to
 * process.env, and captures everything it writes to stdout/stderr.
 */
export async function runInProcess<T>(
  command: { run: (argv: string[], root: string) => Promise<unknown> },
  argv: string[],
  env: Record<string, string> = {}
): Promise<CapturedRun<T>> {
  const saved = { env: { ...process.env }, isTTY: process.stdin.isTTY, exitCode: process.exitCode };
  const removeSignalListeners = signalListenerGuard();
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  let output = '';
  const capture = (chunk: string | Uint8Array): boolean => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  for (const key of Object.keys(process.env)) if (key.startsWith('IAMRA_')) delete process.env[key];
  Object.assign(process.env, env);
  process.stdin.isTTY = false;
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    return { result: (await command.run(argv, projectRoot)) as T, output };
  } catch (error) {
    return { error: error as CapturedRun<T>['error'], output };
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    process.stdin.isTTY = saved.isTTY;
    process.env = saved.env;
    process.exitCode = saved.exitCode;
    removeSignalListeners();
  }
}
