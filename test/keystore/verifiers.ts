/*
 * The keystore area's independent checks: keytool and the Java verifier (skipped loudly when the JDK
 * is absent), and our own reader opening a store.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { passwordBytes, readJks } from '../../src/shared/keystore/jks.js';
import { projectRoot } from '../helpers/sfCli.js';

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
