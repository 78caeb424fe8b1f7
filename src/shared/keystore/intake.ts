/*
 * Neutral intake of a certificate + private key: reads and decrypts PEM pairs, PKCS#12 or JKS,
 * orders the chain leaf -> root and proves the key belongs to the leaf. It applies no Salesforce or
 * Roles Anywhere policy (see rules.ts), so the AWS pre-flight can read EC keys through it too.
 */
import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { Messages } from '@salesforce/core';
import { readInputFile } from '../files/inputFile.js';
import { linkChain } from './chain.js';
import { KEYSTORE_PASSWORD_ENV, KEYSTORE_PASSWORD_FILE_FLAG } from './constants.js';
import { JksError, type JksStore, passwordBytes, readJks, recoverKey } from './jks.js';
import { certificateFromDer, findPrivateKeyBlock, parseCertificates } from './pem.js';
import { readPkcs12 } from './pkcs12.js';
import { decryptPrivateKey, type IntakeNotice } from './privateKey.js';

export type { IntakeNotice } from './privateKey.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'keystore');

export type CredentialSource =
  | { kind: 'pem'; certificateFile: string; privateKeyFile: string; chainFiles?: string[] }
  | { kind: 'pkcs12'; file: string }
  | { kind: 'jks'; file: string };

/**
 * Asked lazily, only when the input is encrypted; undefined means "none available" (the caller
 * could not prompt). A PKCS#12's password counts as the 'key passphrase'; a JKS's as the
 * 'keystore password'.
 */
export type SecretAsker = (label: 'key passphrase' | 'keystore password') => Promise<string | undefined>;

export type CredentialMaterial = {
  key: KeyObject;
  /** Leaf first, ordered leaf -> root by verified signatures. */
  chain: X509Certificate[];
};

export type IntakeOptions = {
  /** Hints worth showing the user (e.g. the passphrase only worked with a trailing newline). */
  onNotice?: (notice: IntakeNotice) => void;
};

export async function readCredentialMaterial(
  source: CredentialSource,
  askSecret: SecretAsker,
  options: IntakeOptions = {}
): Promise<CredentialMaterial> {
  switch (source.kind) {
    case 'pem':
      return readPemPair(source, askSecret, options);
    case 'pkcs12': {
      const data = await readInputFile(source.file, 'PKCS#12 file');
      const { key, certificates } = await readPkcs12(data, source.file, () => askSecret('key passphrase'));
      return { key, chain: orderOrRefuse(certificates, key, source.file) };
    }
    case 'jks':
      return readJksMaterial(source.file, askSecret);
  }
}

async function readPemPair(
  source: Extract<CredentialSource, { kind: 'pem' }>,
  askSecret: SecretAsker,
  options: IntakeOptions
): Promise<CredentialMaterial> {
  // read and parse every certificate before asking for any passphrase: garbage is refused first
  const certificates = parseCertificates(await readInputFile(source.certificateFile, 'certificate'), source.certificateFile);
  const chainFiles = source.chainFiles ?? [];
  const chainData = await Promise.all(chainFiles.map((file) => readInputFile(file, 'certificate chain')));
  chainData.forEach((data, index) => certificates.push(...parseCertificates(data, chainFiles[index])));
  const keyBlock = findPrivateKeyBlock(await readInputFile(source.privateKeyFile, 'private key'), source.privateKeyFile);
  const key = await decryptPrivateKey(keyBlock, source.privateKeyFile, () => askSecret('key passphrase'), options.onNotice);
  return { key, chain: orderOrRefuse(certificates, key, source.certificateFile) };
}

/** Leaf -> root, or an error naming what does not fit. */
function orderOrRefuse(certificates: X509Certificate[], key: KeyObject, certificateFile: string): X509Certificate[] {
  const linked = linkChain(certificates, key);
  if (!linked.leaf) throw messages.createError('error.KeyDoesNotMatch', [certificateFile]);
  if (linked.unlinked.length > 0) {
    throw messages.createError('error.ForeignCertificate', [linked.unlinked.map((cert) => cert.subject.replace(/\n/g, ', ')).join('; ')]);
  }
  return linked.ordered;
}

/** Opens a JKS with its store password, turning format and password failures into clear errors. */
export async function openKeystore(file: string, askSecret: SecretAsker): Promise<{ store: JksStore; password: Buffer }> {
  const data = await readInputFile(file, 'keystore');
  const secret = await askSecret('keystore password');
  if (secret === undefined) {
    throw messages.createError('error.KeystorePasswordMissing', [file], [KEYSTORE_PASSWORD_ENV, KEYSTORE_PASSWORD_FILE_FLAG]);
  }
  const password = passwordBytes(secret);
  try {
    return { store: readJks(data, password), password };
  } catch (error) {
    password.fill(0);
    if (!(error instanceof JksError)) throw error;
    if (error.reason === 'password') {
      throw messages.createError('error.WrongKeystorePassword', [file], [KEYSTORE_PASSWORD_ENV, KEYSTORE_PASSWORD_FILE_FLAG]);
    }
    if (error.reason === 'pkcs12') throw messages.createError('error.KeystoreIsPkcs12', [file]);
    if (error.reason === 'jceks') throw messages.createError('error.KeystoreIsJceks', [file]);
    throw messages.createError('error.NotJks', [file, error.message]);
  }
}

export type RecoveredKey = { key: KeyObject; format: 'pkcs8' | 'pkcs1' };

/** Decodes the plain bytes KeyProtector protected: PKCS#8 as Java expects, or the PKCS#1 mistake. */
export function decodeRecoveredKey(plain: Buffer): RecoveredKey | undefined {
  for (const format of ['pkcs8', 'pkcs1'] as const) {
    try {
      return { key: createPrivateKey({ key: plain, format: 'der', type: format }), format };
    } catch {
      // try the next encoding
    }
  }
  return undefined;
}

async function readJksMaterial(file: string, askSecret: SecretAsker): Promise<CredentialMaterial> {
  const { store, password } = await openKeystore(file, askSecret);
  try {
    const keyEntries = store.entries.filter((entry) => entry.kind === 'privateKey');
    if (keyEntries.length !== 1 || keyEntries[0].kind !== 'privateKey') {
      throw messages.createError('error.KeystoreKeyEntryCount', [file, String(keyEntries.length)]);
    }
    const entry = keyEntries[0];
    const plain = recoverKeyOrRefuse(entry.protectedKey, password, file);
    const recovered = decodeRecoveredKey(plain);
    plain.fill(0);
    if (!recovered) throw messages.createError('error.BadPrivateKey', [file]);
    const certificates = entry.chain.map((der) => certificateFromDer(der, file));
    return { key: recovered.key, chain: orderOrRefuse(certificates, recovered.key, file) };
  } finally {
    password.fill(0);
  }
}

function recoverKeyOrRefuse(protectedKey: Buffer, password: Buffer, file: string): Buffer {
  const plain = recoverEntryKey(protectedKey, password, file);
  if (!plain) throw messages.createError('error.KeyPasswordDiffers', [file]);
  return plain;
}

/** The plain key bytes, undefined when the store password does not open the key; a foreign blob is an error. */
export function recoverEntryKey(protectedKey: Buffer, password: Buffer, file: string): Buffer | undefined {
  try {
    return recoverKey(protectedKey, password);
  } catch (error) {
    if (error instanceof JksError) throw messages.createError('error.NotJks', [file, error.message]);
    throw error;
  }
}
