/*
 * Runs the real `sf` binary (the @salesforce/cli devDependency) with this plugin linked, in a
 * throwaway HOME so nothing reaches the developer's own sf config, keychain or auth files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sfBin = join(projectRoot, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');

export type SfRun = {
  code: number;
  stdout: string;
  stderr: string;
  /** Parsed stdout when the run used --json and printed JSON. */
  json?: SfJson;
};

export type SfJson = {
  status: number;
  result?: unknown;
  name?: string;
  message?: string;
  actions?: string[];
  warnings?: unknown[];
  data?: unknown;
  exitCode?: number;
};

export type SfRunOptions = {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Text fed to standard input (stdin is never a TTY here, as in CI). */
  input?: string;
};

let shared: SfCli | undefined;

export class SfCli {
  private constructor(public readonly home: string) {}

  /** sf's config and data directories in this HOME (oclif's XDG layout on Linux and macOS). */
  public get configDir(): string {
    return join(this.home, '.config', 'sf');
  }

  public get dataDir(): string {
    return join(this.home, '.local', 'share', 'sf');
  }

  /** One linked CLI per test process: linking costs seconds, a HOME per run costs nothing. */
  public static get(): SfCli {
    if (!shared) {
      shared = SfCli.fresh();
      const link = shared.runSync(['plugins', 'link', projectRoot, '--no-install']);
      if (link.code !== 0) {
        throw new Error(`sf plugins link failed (${link.code}): ${link.stderr}`);
      }
    }
    return shared;
  }

  /** An sf with nothing linked, in its own throwaway HOME (e.g. to install the packed tarball). */
  public static fresh(): SfCli {
    const home = mkdtempSync(join(tmpdir(), 'iamra-sf-home-'));
    process.once('exit', () => rmSync(home, { recursive: true, force: true }));
    return new SfCli(home);
  }

  public env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...cleanEnv(process.env),
      HOME: this.home,
      USERPROFILE: this.home,
      XDG_CONFIG_HOME: join(this.home, '.config'),
      XDG_DATA_HOME: join(this.home, '.local', 'share'),
      XDG_CACHE_HOME: join(this.home, '.cache'),
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_DISABLE_TELEMETRY: 'true',
      SF_DISABLE_AUTOUPDATE: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_CONTAINER_MODE: 'true',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      ...extra,
    };
  }

  /** The command line that runs this sf (Node 22 + the CLI's run.js), e.g. for a pseudo-terminal. */
  // eslint-disable-next-line class-methods-use-this
  public argv(args: string[]): string[] {
    return [process.execPath, sfBin, ...args];
  }

  /** Synchronous run; fine for commands that talk to no server inside this process. */
  public runSync(args: string[], options: SfRunOptions = {}): SfRun {
    const [node, ...rest] = this.argv(args);
    const out = spawnSync(node, rest, {
      cwd: options.cwd ?? projectRoot,
      env: this.env(options.env),
      input: options.input ?? '',
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return toRun(out.status ?? 1, out.stdout, out.stderr);
  }

  /** Asynchronous run, needed when the peer (a simulator) lives in this same process. */
  public run(args: string[], options: SfRunOptions = {}): Promise<SfRun> {
    return new Promise((resolvePromise, reject) => {
      const [node, ...rest] = this.argv(args);
      const child = spawn(node, rest, {
        cwd: options.cwd ?? projectRoot,
        env: this.env(options.env),
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolvePromise(toRun(code ?? 1, stdout, stderr)));
      child.stdin.end(options.input ?? '');
    });
  }
}

/** Drop the developer's own sf/AWS settings so tests see only what they set. */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (!/^(SF_|SFDX_|IAMRA_|AWS_|HTTPS?_PROXY|https?_proxy|TESTKIT_)/.test(key)) kept[key] = value;
  }
  return kept;
}

function toRun(code: number, stdout: string, stderr: string): SfRun {
  let json: SfJson | undefined;
  try {
    json = JSON.parse(stdout) as SfJson;
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}

/** What a user must never see: a JavaScript stack trace. */
export const STACK_TRACE = /\n\s+at .+\(.*:\d+:\d+\)|\n\s+at .+:\d+:\d+/;
