/*
 * Wires the SecretAsker that intake calls to the plugin's secret routes: the key passphrase from
 * IAMRA_KEY_PASSPHRASE / --key-passphrase-file / prompt, the keystore password from
 * IAMRA_KEYSTORE_PASSWORD / --keystore-password-file / prompt. Never from a flag value.
 */
import { type ResolvedSecret, resolveSecret } from '../secrets.js';
import { KEY_PASSPHRASE_ENV, KEYSTORE_PASSWORD_ENV } from './constants.js';
import type { SecretAsker } from './intake.js';

export type SecretRoutes = {
  keyPassphraseFile?: string;
  keystorePasswordFile?: string;
  /** Only when the session is interactive (stdin and stdout are TTYs, not --json): see interactivePrompt. */
  prompt?: (question: string) => Promise<string>;
  env?: NodeJS.ProcessEnv;
};

export function keystorePasswordSource(routes: SecretRoutes): () => Promise<ResolvedSecret | undefined> {
  return () =>
    resolveSecret({
      label: 'keystore password',
      envVar: KEYSTORE_PASSWORD_ENV,
      file: routes.keystorePasswordFile,
      prompt: routes.prompt,
      env: routes.env,
    });
}

export function secretAsker(routes: SecretRoutes): SecretAsker {
  return async (label) => {
    if (label === 'keystore password') return (await keystorePasswordSource(routes)())?.value;
    const secret = await resolveSecret({
      label,
      envVar: KEY_PASSPHRASE_ENV,
      file: routes.keyPassphraseFile,
      prompt: routes.prompt,
      env: routes.env,
    });
    return secret?.value;
  };
}

/**
 * A hidden prompt only when a person can see and answer it: stdin and stdout are both terminals and
 * the output is not --json. The prompt is written to stdout, so with stdout redirected (`> log.txt`)
 * it would land in the file and the command would sit waiting, unseen, until the prompt times out;
 * without a prompt the command stops at once and names the other routes.
 */
export function interactivePrompt(
  jsonEnabled: boolean,
  secretPrompt: (options: { message: string }) => Promise<string>
): SecretRoutes['prompt'] {
  const interactive = process.stdin.isTTY && process.stdout.isTTY && !jsonEnabled;
  return interactive ? (message: string): Promise<string> => secretPrompt({ message }) : undefined;
}
