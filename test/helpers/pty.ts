/*
 * Runs a command under a pseudo-terminal, as a person at a terminal would: the command sees a TTY on
 * stdin and stdout, the test reads the raw bytes the terminal received (escape sequences included)
 * and types into it. Two drivers, whichever is installed: util-linux `script` and tmux. Typed text
 * travels through a pipe (script's stdin, tmux's paste buffer), never through any process's argv, so
 * a secret typed here is as private as one typed by hand.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type PtyOptions = {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Send the command's standard output to this file instead; stdin and stderr stay on the terminal. */
  stdoutTo?: string;
};

export type PtySession = {
  /** Everything the terminal has received so far, raw. */
  screen(): string;
  /** Waits until the screen matches, or fails with what the screen shows. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Types `text` and Enter, as at the keyboard. */
  typeLine(text: string): Promise<void>;
  /** The command's exit code once it ends; fails (and ends it) after `timeoutMs`. */
  exitCode(timeoutMs?: number): Promise<number>;
  /** Ends the command if still running and removes the driver's files. Safe to call twice. */
  close(): void;
};

export type PtyDriver = {
  name: 'script' | 'tmux';
  start(argv: string[], options: PtyOptions): Promise<PtySession>;
};

const DEFAULT_TIMEOUT_MS = 30_000;
const POLL_MS = 50;
const SETTLE_MS = 200;

/** A POSIX shell word: both drivers hand the command line to a shell. */
export const shellQuote = (word: string): string => `'${word.replace(/'/g, "'\\''")}'`;
/**
 * The environment of a person at a terminal: a CI job's markers (CI, CI_*, CONTINUOUS_INTEGRATION) and
 * DEBUG would put sf's stage display into its line mode, so a terminal run under CI would test CI output.
 */
const atTerminal = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(env).filter(([key]) => !/^(CI|CI_.*|CONTINUOUS_INTEGRATION|DEBUG)$/.test(key))
  );
const commandLine = (argv: string[], options: PtyOptions): string =>
  `${argv.map(shellQuote).join(' ')}${options.stdoutTo ? ` > ${shellQuote(options.stdoutTo)}` : ''}`;

/** The screen without escape sequences, runs of whitespace (line wraps included) as one space. */
export const plainText = (screen: string): string =>
  screen
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-_]/g, '')
    .replace(/\s+/g, ' ');

async function poll<T>(probe: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`pseudo-terminal: timed out after ${timeoutMs} ms ${describe()}`);
    // eslint-disable-next-line no-await-in-loop
    await sleep(POLL_MS);
  }
}

function session(parts: {
  screen: () => string;
  type: (text: string) => Promise<void>;
  exited: () => number | undefined;
  close: () => void;
}): PtySession {
  const shown = (): string => `; the terminal shows:\n${plainText(parts.screen())}`;
  return {
    screen: parts.screen,
    waitFor: async (pattern, timeoutMs = DEFAULT_TIMEOUT_MS) => {
      await poll(() => (pattern.test(parts.screen()) ? true : undefined), timeoutMs, () => `waiting for ${String(pattern)}${shown()}`);
    },
    typeLine: (text) => parts.type(text),
    exitCode: async (timeoutMs = DEFAULT_TIMEOUT_MS) => {
      try {
        return await poll(parts.exited, timeoutMs, () => `waiting for the command to end${shown()}`);
      } catch (error) {
        parts.close();
        throw error;
      }
    },
    close: parts.close,
  };
}

/** util-linux script(1): the pty's output is script's stdout; script's stdin is the keyboard. */
const scriptDriver: PtyDriver = {
  name: 'script',
  start: (argv, options) => {
    // --echo always: the terminal echoes input like a real one, so only the program can hide it
    const child: ChildProcessWithoutNullStreams = spawn(
      'script',
      ['--quiet', '--flush', '--return', '--echo', 'always', '--command', `exec ${commandLine(argv, options)}`, '/dev/null'],
      { env: atTerminal(options.env), cwd: options.cwd }
    );
    let screen = '';
    let code: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (screen += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (screen += chunk));
    child.on('close', (status, signal) => (code = status ?? (signal ? 128 : 1)));
    child.stdin.on('error', () => {}); // typing after the command ended is not this helper's failure
    return Promise.resolve(
      session({
        screen: () => screen,
        type: (text) => new Promise((resolve) => child.stdin.write(`${text}\r`, () => resolve())),
        exited: () => code,
        close: () => {
          child.stdin.end();
          if (code === undefined) child.kill();
        },
      })
    );
  },
};

/**
 * tmux on a private socket: the command waits for one Enter so pipe-pane records from its first
 * byte. The shell around it writes its exit code to a file: tmux 3.3 can mark a pane dead without
 * ever filling #{pane_dead_status} (seen under load), so the pane's own status is not relied on;
 * remain-on-exit keeps the pane and its server until close().
 */
const tmuxDriver: PtyDriver = {
  name: 'tmux',
  start: async (argv, options) => {
    const dir = mkdtempSync(join(tmpdir(), 'iamra-pty-'));
    const log = join(dir, 'screen.log');
    const exitFile = join(dir, 'exit-code');
    const env = { ...atTerminal(options.env), TMUX: undefined }; // a private server even when the tests run inside tmux
    const tmux = (args: string[], input?: string): string => {
      const run = spawnSync('tmux', ['-S', join(dir, 'socket'), '-f', '/dev/null', ...args], { env, cwd: options.cwd, input, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`tmux ${args[0]} failed: ${run.stderr}`);
      return run.stdout;
    };
    tmux([
      'new-session', '-d', '-s', 'iamra', '-x', '200', '-y', '50', `read go; ${commandLine(argv, options)}; echo $? > ${shellQuote(`${exitFile}.tmp`)}; mv ${shellQuote(`${exitFile}.tmp`)} ${shellQuote(exitFile)}`,
      ';', 'set-option', '-w', '-t', 'iamra', 'remain-on-exit', 'on',
      ';', 'pipe-pane', '-t', 'iamra', '-o', `cat >> ${shellQuote(log)}`,
    ]);
    tmux(['send-keys', '-t', 'iamra', 'Enter']);
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      spawnSync('tmux', ['-S', join(dir, 'socket'), 'kill-server'], { env });
      rmSync(dir, { recursive: true, force: true });
    };
    let last = '';
    const screen = (): string => {
      if (!closed && existsSync(log)) last = readFileSync(log, 'utf8');
      return last;
    };
    let code: number | undefined;
    let settled = { length: -1, since: 0 };
    return session({
      screen,
      type: (text) => {
        tmux(['load-buffer', '-b', 'typed', '-'], text);
        tmux(['paste-buffer', '-d', '-b', 'typed', '-t', 'iamra']);
        tmux(['send-keys', '-t', 'iamra', 'Enter']);
        return Promise.resolve();
      },
      exited: () => {
        if (code !== undefined || closed || !existsSync(exitFile)) return code;
        // pipe-pane's cat may still be writing the last bytes: wait until the log is still
        const length = screen().length;
        if (length !== settled.length) settled = { length, since: Date.now() };
        else if (Date.now() - settled.since >= SETTLE_MS) code = Number(readFileSync(exitFile, 'utf8').trim());
        return code;
      },
      close,
    });
  },
};

const works = (command: string, args: string[], expect: RegExp): boolean => {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  return run.status === 0 && expect.test(`${run.stdout}${run.stderr}`);
};

/** The drivers installed here: `script` from util-linux 2.35+ (for --echo), tmux 2+ (pipe-pane). */
export function ptyDrivers(): PtyDriver[] {
  return [
    ...(works('script', ['--help'], /--echo/) ? [scriptDriver] : []),
    ...(works('tmux', ['-V'], /^tmux \d/) ? [tmuxDriver] : []),
  ];
}

/** Skips a suite with a loud reason when no pseudo-terminal driver is installed. */
export function skipWithoutPty(context: Mocha.Context): void {
  if (ptyDrivers().length === 0) {
    // eslint-disable-next-line no-console
    console.warn('\n  !!! SKIPPING pseudo-terminal tests: neither util-linux `script` (2.35+) nor tmux is on PATH !!!\n');
    context.skip();
  }
}
