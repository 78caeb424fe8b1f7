/*
 * `keystore build`: certificate + key in, one Salesforce-ready JKS out. Refuses (before writing
 * anything) every input Salesforce or IAM Roles Anywhere would reject; the decrypted key exists
 * only in memory and its bytes are zeroed after use.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { assertOutputWritable, writeOutputFile } from '../files/atomicWrite.js';
import type { ResolvedSecret, SecretOrigin } from '../secrets.js';
import { ALIAS_MAX_LENGTH, GENERATED_PASSWORD_BYTES } from './constants.js';
import { type CredentialSource, type IntakeNotice, readCredentialMaterial, type SecretAsker } from './intake.js';
import { passwordBytes, writeJks } from './jks.js';
import { describeKeystore, type KeystoreReport } from './report.js';
import {
  certificateFindings,
  checkAlias,
  type Finding,
  hasErrors,
  leafOnlyFindings,
  passwordFindings,
  salesforceKeyFindings,
} from './rules.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'keystore');

export type BuildKeystoreRequest = {
  /** Or how to get it, called once the output is known writable (an ACM export is charged). */
  source: CredentialSource | (() => Promise<CredentialSource>);
  /** As the user typed it; lower-cased with a notice. */
  alias: string;
  output: string;
  force: boolean;
  /** Secrets of the input (key passphrase, PKCS#12 or JKS password). */
  askSecret: SecretAsker;
  /** The new keystore's password; undefined from it means "generate one". */
  keystorePassword: () => Promise<ResolvedSecret | undefined>;
  now?: Date;
  randomBytes?: (size: number) => Buffer;
  onNotice?: (notice: IntakeNotice) => void;
};

export type BuildKeystoreResult = KeystoreReport & {
  keystorePasswordOrigin: SecretOrigin;
  /** Present only when the password was generated; the caller shows it once. */
  generatedKeystorePassword?: string;
};

export async function buildKeystore(request: BuildKeystoreRequest): Promise<BuildKeystoreResult> {
  const now = request.now ?? new Date();
  const notify = request.onNotice ?? ((): void => {});
  const alias = checkAlias(request.alias);
  if (!alias.valid) throw messages.createError('error.AliasInvalid', [request.alias, String(ALIAS_MAX_LENGTH)]);
  if (alias.lowerCased) {
    notify({ code: 'AliasLowerCased', message: messages.getMessage('notice.AliasLowerCased', [request.alias, alias.alias]) });
  }
  const output = resolve(request.output);
  const target = { what: 'keystore', force: request.force };
  await assertOutputWritable(output, target);

  const source = typeof request.source === 'function' ? await request.source() : request.source;
  const { key, chain } = await readCredentialMaterial(source, request.askSecret, { onNotice: notify });
  refuseOnErrors([...salesforceKeyFindings(key), ...certificateFindings(chain, now)]);

  const given = await request.keystorePassword();
  if (given) refuseOnErrors(passwordFindings(given.value));
  const password = given ?? {
    value: (request.randomBytes ?? cryptoRandomBytes)(GENERATED_PASSWORD_BYTES).toString('base64url'),
    origin: 'generated' as const,
  };

  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const passwordData = passwordBytes(password.value);
  try {
    const keystore = writeJks({ alias: alias.alias, password: passwordData, pkcs8, chain: chain.map((c) => c.raw), now });
    await writeOutputFile(output, keystore, { ...target, mode: 0o600 });
  } finally {
    pkcs8.fill(0);
    passwordData.fill(0);
  }
  return {
    ...describeKeystore(output, alias.alias, chain, [...certificateFindings(chain, now), ...leafOnlyFindings(chain)]),
    keystorePasswordOrigin: password.origin,
    ...(password.origin === 'generated' ? { generatedKeystorePassword: password.value } : {}),
  };
}

/** One error listing every problem, so the user fixes them all in one round. */
function refuseOnErrors(findings: Finding[]): void {
  const errors = findings.filter((f) => f.severity === 'error');
  if (!hasErrors(errors)) return;
  const error = messages.createError('error.KeystoreRefused', [errors.map((f) => `- ${f.message}`).join('\n')]);
  error.actions = [...new Set(errors.map((f) => f.action))];
  throw error;
}
