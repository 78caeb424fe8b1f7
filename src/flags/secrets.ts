/*
 * The edge of the secret source (src/shared/secrets.ts): the mapping from the --*-file flags, and
 * whether the command may prompt at all.
 */
import type { SecretRoutes } from '../shared/secrets.js';

type ParsedSecretFlags = { 'key-passphrase-file'?: string; 'keystore-password-file'?: string };

/** The command's hidden prompt (SfCommand.secretPrompt) and whether its output is --json. */
export type PromptingCommand = {
  jsonEnabled(): boolean;
  secretPrompt(options: { message: string }): Promise<string>;
  warn(message: string): unknown;
};

export function secretRoutesFromFlags(flags: ParsedSecretFlags, command?: PromptingCommand): SecretRoutes {
  return {
    keyPassphraseFile: flags['key-passphrase-file'],
    keystorePasswordFile: flags['keystore-password-file'],
    prompt: command ? interactivePrompt(command) : undefined,
    warn: command ? (message: string): unknown => command.warn(message) : undefined,
  };
}

/**
 * A hidden prompt only when a person can see and answer it: stdin and stdout are both terminals and
 * the output is not --json. The prompt is written to stdout, so with stdout redirected (`> log.txt`)
 * it would land in the file and the command would sit waiting, unseen, until the prompt times out;
 * without a prompt the command stops at once and names the other routes.
 */
function interactivePrompt(command: PromptingCommand): SecretRoutes['prompt'] {
  if (!personCanAnswer(command)) return undefined;
  // A secret is asked once per run: `configure --keystore --preflight` reads the keystore for the guided
  // import and again for the pre-flight, through routes built separately; both get the one answer.
  let asked = answers.get(command);
  if (!asked) answers.set(command, (asked = new Map<string, Promise<string>>()));
  const byQuestion = asked;
  return (message: string): Promise<string> => {
    let answer = byQuestion.get(message);
    if (!answer) byQuestion.set(message, (answer = command.secretPrompt({ message })));
    return answer;
  };
}

/** The answers a command's run got, by question; gone with the command object (never written anywhere). */
const answers = new WeakMap<PromptingCommand, Map<string, Promise<string>>>();

/** Whether a person can see and answer a question (a prompt or a yes/no): see interactivePrompt. */
export function personCanAnswer(command: { jsonEnabled(): boolean }): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !command.jsonEnabled();
}
