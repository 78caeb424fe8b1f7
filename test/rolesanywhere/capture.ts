/* Runs a command in-process with its stdout/stderr captured and env vars set for the call only. */
import { signalListenerGuard } from '../helpers/signals.js';

type Captured<T> = { result?: T; error?: Error & { actions?: string[]; exitCode?: number }; stdout: string; stderr: string };

export async function capture<T>(fn: () => Promise<T>, env: Record<string, string> = {}): Promise<Captured<Awaited<T>>> {
  const out = { stdout: '', stderr: '' };
  const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const removeSignalListeners = signalListenerGuard();
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.stdout.write = ((chunk: string | Uint8Array): boolean => ((out.stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array): boolean => ((out.stderr += chunk.toString()), true)) as typeof process.stderr.write;
  try {
    return { result: await fn(), ...out };
  } catch (error) {
    return { error: error as Captured<unknown>['error'], ...out };
  } finally {
    process.stdout.write = original.out;
    process.stderr.write = original.err;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.exitCode = undefined;
    removeSignalListeners();
  }
}

