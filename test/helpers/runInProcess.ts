/*
 * The one in-process command runner: runs an oclif command class non-interactively (stdin is not a
 * TTY), with only the given IAMRA_* variables set, and captures what the user would see.
 */
import { projectRoot } from './sfCli.js';
import { signalListenerGuard } from './signals.js';

export type CapturedRun<T> = {
  result?: T;
  error?: Error & { exitCode?: number; actions?: string[] };
  /** stdout and stderr interleaved, as a terminal shows them. */
  output: string;
  stdout: string;
  stderr: string;
};

type Command = { run: (argv: string[], root: string) => Promise<unknown> };

/**
 * Runs `command` with `argv`; `env` is added to process.env for the call only, after every IAMRA_*
 * variable of the developer's shell is removed. process.env, stdin's TTY flag, process.exitCode and
 * signal listeners are restored afterwards.
 */
export async function runInProcess<T>(command: Command, argv: string[], env: Record<string, string> = {}): Promise<CapturedRun<T>> {
  const saved = { env: { ...process.env }, isTTY: process.stdin.isTTY, exitCode: process.exitCode };
  const removeSignalListeners = signalListenerGuard();
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const seen = { output: '', stdout: '', stderr: '' };
  const captureInto =
    (stream: 'stdout' | 'stderr') =>
    (chunk: string | Uint8Array): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      seen[stream] += text;
      seen.output += text;
      return true;
    };
  for (const key of Object.keys(process.env)) if (key.startsWith('IAMRA_')) delete process.env[key];
  Object.assign(process.env, env);
  process.stdin.isTTY = false;
  process.stdout.write = captureInto('stdout') as typeof process.stdout.write;
  process.stderr.write = captureInto('stderr') as typeof process.stderr.write;
  try {
    const result = (await command.run(argv, projectRoot)) as T;
    return { result, ...seen };
  } catch (error) {
    return { error: error as CapturedRun<T>['error'], ...seen };
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    process.stdin.isTTY = saved.isTTY;
    process.env = saved.env;
    process.exitCode = saved.exitCode;
    removeSignalListeners();
  }
}
