/*
 * The one secret source every command uses: the key passphrase from --key-passphrase-file /
 * IAMRA_KEY_PASSPHRASE / a hidden prompt, the keystore password from --keystore-password-file /
 * IAMRA_KEYSTORE_PASSWORD / a hidden prompt. Never from a flag value. The prompt itself is the
 * command's (src/flags/secrets.ts decides whether a person can answer one).
 */
import { readFile, stat } from 'node:fs/promises';
import { Messages } from '@salesforce/core';
import { KEY_PASSPHRASE_ENV, KEYSTORE_PASSWORD_ENV } from './keystore/constants.js';
import { type CredentialSource, readCredentialMaterial, type SecretAsker } from './keystore/intake.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'secrets');

/** Where a secret came from; reported in results so users can see which route was taken, never the value. */
export type SecretOrigin = 'env' | 'file' | 'prompt' | 'generated';

export type ResolvedSecret = { value: string; origin: SecretOrigin };

export type SecretRequest = {
  /** What the secret is, as the user knows it ("key passphrase", "keystore password"). */
  label: string;
  /** Environment variable that may hold it (for CI and scripts). */
  envVar: string;
  /** Path from a `--*-file` flag, if given. */
  file?: string;
  /** Hidden prompt; only offered when the session is interactive. */
  prompt?: (question: string) => Promise<string>;
  env?: NodeJS.ProcessEnv;
  /** Told about a secret file other users can read. */
  warn?: (message: string) => void;
};

/**
 * Finds a secret without ever taking it from argv: a named file first (explicit beats ambient),
 * then the environment variable, then a hidden prompt. Returns undefined when none is available
 * so the caller decides between generating one and refusing.
 */
export async function resolveSecret(request: SecretRequest): Promise<ResolvedSecret | undefined> {
  if (request.file) {
    return { value: await readSecretFile(request.file, request.label, request.warn), origin: 'file' };
  }
  const fromEnv = (request.env ?? process.env)[request.envVar];
  if (fromEnv !== undefined && fromEnv !== '') {
    return { value: fromEnv, origin: 'env' };
  }
  if (request.prompt) {
    return { value: await request.prompt(messages.getMessage('prompt', [request.label])), origin: 'prompt' };
  }
  return undefined;
}

/** Like resolveSecret, but a missing secret is an error that names every route to provide it. */
export async function requireSecret(request: SecretRequest & { fileFlag: string }): Promise<ResolvedSecret> {
  const secret = await resolveSecret(request);
  if (!secret) {
    throw messages.createError('error.SecretMissing', [request.label], [request.envVar, request.fileFlag]);
  }
  return secret;
}

/** Secret files hold one line; the trailing newline an editor or `echo` adds is not part of it. */
async function readSecretFile(path: string, label: string, warn?: (message: string) => void): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw messages.createError('error.SecretFileUnreadable', [label, path]);
  }
  // As ssh does for key files: a secret every local user can read is worth a word (modes mean nothing on Windows).
  if (process.platform !== 'win32' && (info.mode & 0o004) !== 0) {
    warn?.(messages.getMessage('warning.SecretFileWorldReadable', [label, path, (info.mode & 0o777).toString(8), path]));
  }
  const text = await readFile(path, 'utf8');
  return text.replace(/\r?\n$/, '');
}

/** The routes a command offers for its secrets: the --*-file flags and, when interactive, a prompt. */
export type SecretRoutes = {
  keyPassphraseFile?: string;
  keystorePasswordFile?: string;
  /** Only when a person can answer it (src/flags/secrets.ts interactivePrompt). */
  prompt?: (question: string) => Promise<string>;
  env?: NodeJS.ProcessEnv;
  warn?: (message: string) => void;
};

export function keystorePasswordSource(routes: SecretRoutes): () => Promise<ResolvedSecret | undefined> {
  return () =>
    resolveSecret({
      label: 'keystore password',
      envVar: KEYSTORE_PASSWORD_ENV,
      file: routes.keystorePasswordFile,
      prompt: routes.prompt,
      env: routes.env,
      warn: routes.warn,
    });
}

/** The SecretAsker keystore intake calls, wired to the routes. */
export function secretAsker(routes: SecretRoutes): SecretAsker {
  return async (label) => {
    if (label === 'keystore password') return (await keystorePasswordSource(routes)())?.value;
    const secret = await resolveSecret({
      label,
      envVar: KEY_PASSPHRASE_ENV,
      file: routes.keyPassphraseFile,
      prompt: routes.prompt,
      env: routes.env,
      warn: routes.warn,
    });
    return secret?.value;
  };
}

/**
 * Asks each secret at most once per run: a command that needs the keystore password twice (the
 * guided import, then the pre-flight check) prompts once, and can ask everything up front, before its
 * stage display starts, so that no prompt ever sits under it. Held in memory only, for this run.
 */
export function askingOnce(asker: SecretAsker): SecretAsker {
  const asked = new Map<string, Promise<string | undefined>>();
  return (label) => {
    let answer = asked.get(label);
    if (!answer) {
      answer = asker(label);
      asked.set(label, answer);
      // A failed ask (an unreadable file) is not remembered: the next ask reports it again.
      answer.catch(() => asked.delete(label));
    }
    return answer;
  };
}

/**
 * Asks now for the secrets reading `source` takes (with an askingOnce asker, the later read reuses
 * the answers), so that a command with a stage display prompts before it starts. A credential that
 * cannot be read is left for the step that reads it to report, as it always has.
 */
export async function askCredentialSecretsFirst(source: CredentialSource, askSecret: SecretAsker): Promise<void> {
  await readCredentialMaterial(source, askSecret).catch(() => undefined);
}
