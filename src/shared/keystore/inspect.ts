/*
 * `keystore inspect`: reads an existing JKS (ours or hand-made with keytool) and reports every rule
 * it breaks - the same checks build applies, plus the mistakes only a hand-made store can have.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { linkChain, orderBySignatures } from './chain.js';
import { decodeRecoveredKey, openKeystore, recoverEntryKey, type SecretAsker } from './intake.js';
import type { JksEntry } from './jks.js';
import { certificateFromDer } from './pem.js';
import { describeKeystore, type KeystoreReport } from './report.js';
import { certificateFindings, checkAlias, finding, type Finding, salesforceKeyFindings } from './rules.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'keystore');

export type InspectKeystoreRequest = {
  file: string;
  /** Asked for the 'keystore password'. */
  askSecret: SecretAsker;
  now?: Date;
};

export type InspectKeystoreResult = KeystoreReport;

export async function inspectKeystore(request: InspectKeystoreRequest): Promise<InspectKeystoreResult> {
  const path = resolve(request.file);
  const { store, password } = await openKeystore(path, request.askSecret);
  try {
    const keyEntries = store.entries.filter((e): e is Extract<JksEntry, { kind: 'privateKey' }> => e.kind === 'privateKey');
    if (keyEntries.length === 0) throw messages.createError('error.KeystoreKeyEntryCount', [path, '0']);
    const entry = keyEntries[0];
    const findings: Finding[] = [];
    const trusted = store.entries.length - keyEntries.length;
    if (keyEntries.length !== 1 || trusted > 0) {
      findings.push(finding('EntryCount', keyEntries.length !== 1 ? 'error' : 'warning', [String(keyEntries.length), String(trusted)]));
    }
    findings.push(...aliasFindings(entry.alias));
    const stored = entry.chain.map((der) => certificateFromDer(der, path));
    if (stored.length === 0) throw messages.createError('error.NotJks', [path, 'the key entry carries no certificate']);
    const key = keyWithFindings(entry, password, findings, path);
    const chain = chainFindings(stored, key, findings);
    findings.push(...salesforceKeyFindings(key ?? chain[0].publicKey), ...certificateFindings(chain, request.now ?? new Date()));
    return describeKeystore(path, entry.alias, chain, findings);
  } finally {
    password.fill(0);
  }
}

function aliasFindings(alias: string): Finding[] {
  if (alias !== alias.toLowerCase()) return [finding('AliasNotLowerCase', 'error', [alias])];
  return checkAlias(alias).valid ? [] : [finding('AliasInvalid', 'error', [alias])];
}

/** The entry's key if the store password opens it; otherwise findings say why not. */
function keyWithFindings(
  entry: Extract<JksEntry, { kind: 'privateKey' }>,
  password: Buffer,
  findings: Finding[],
  path: string
): KeyObject | undefined {
  const plain = recoverEntryKey(entry.protectedKey, password, path);
  if (!plain) {
    findings.push(finding('KeyPasswordDiffers', 'error'));
    return undefined;
  }
  const recovered = decodeRecoveredKey(plain);
  plain.fill(0);
  if (!recovered) findings.push(finding('KeyUnreadable', 'error'));
  else if (recovered.format === 'pkcs1') findings.push(finding('KeyNotPkcs8', 'error'));
  return recovered?.key;
}

/** The chain as it should be (leaf -> root), with findings when the stored one differs. */
function chainFindings(stored: X509Certificate[], key: KeyObject | undefined, findings: Finding[]): X509Certificate[] {
  const linked = key ? linkChain(stored, key) : orderBySignatures(stored);
  if (key && !linked.leaf) {
    findings.push(finding('KeyDoesNotMatch', 'error'));
    return orderBySignatures(stored).ordered;
  }
  if (linked.unlinked.length > 0) {
    findings.push(finding('ChainForeign', 'error', [linked.unlinked.map((c) => c.subject.split('\n').join(', ')).join('; ')]));
  }
  const inOrder = linked.ordered.every((cert, index) => stored[index] === cert);
  if (!inOrder) findings.push(finding('ChainOrder', 'error'));
  return linked.ordered;
}
