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
  /** Only when the session is interactive (stdin is a TTY and not --json). */
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

/** A hidden prompt only when a person can answer it: stdin is a terminal and the output is not --json. */
export function interactivePrompt(
  jsonEnabled: boolean,
  secretPrompt: (options: { message: string }) => Promise<string>
): SecretRoutes['prompt'] {
  return process.stdin.isTTY && !jsonEnabled ? (message: string): Promise<string> => secretPrompt({ message }) : undefined;
}
