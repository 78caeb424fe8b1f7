/*
 * Decrypts the private key with node:crypto, asking for the passphrase only when the key is
 * encrypted. Handles every form AWS and openssl produce: encrypted PKCS#8 (PBES2 AES/3DES/scrypt,
 * PBES1), legacy `Proc-Type: 4,ENCRYPTED` PEM, and unencrypted PKCS#8/PKCS#1/SEC1.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { Messages } from '@salesforce/core';
import { ACM_PASSPHRASE_SUFFIX, KEY_PASSPHRASE_ENV, KEY_PASSPHRASE_FILE_FLAG } from './constants.js';
import { isEncryptedKeyBlock, type PemBlock } from './pem.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'keystore');

export type IntakeNotice = { code: string; message: string };

export async function decryptPrivateKey(
  block: PemBlock,
  path: string,
  askPassphrase: () => Promise<string | undefined>,
  onNotice: (notice: IntakeNotice) => void = (): void => {}
): Promise<KeyObject> {
  if (!isEncryptedKeyBlock(block)) {
    try {
      return createPrivateKey({ key: block.text, format: 'pem' });
    } catch {
      throw messages.createError('error.BadPrivateKey', [path]);
    }
  }
  const passphrase = await askPassphrase();
  if (passphrase === undefined) {
    throw messages.createError('error.KeyPassphraseMissing', [path], [KEY_PASSPHRASE_ENV, KEY_PASSPHRASE_FILE_FLAG]);
  }
  const key = tryDecrypt(block, passphrase);
  if (key) return key;
  const withNewline = tryDecrypt(block, passphrase + ACM_PASSPHRASE_SUFFIX);
  if (withNewline) {
    onNotice({ code: 'PassphraseTrailingNewline', message: messages.getMessage('notice.PassphraseTrailingNewline') });
    return withNewline;
  }
  throw messages.createError('error.WrongKeyPassphrase', [path], [KEY_PASSPHRASE_ENV, KEY_PASSPHRASE_FILE_FLAG]);
}

/**
 * Undefined on a wrong passphrase. OpenSSL reports most as BAD_DECRYPT, but a wrong passphrase whose
 * padding happens to be valid (~1 in 300) surfaces as UNSUPPORTED or an ASN.1 error [seen], so any
 * failure on an encrypted block counts as "wrong passphrase".
 */
function tryDecrypt(block: PemBlock, passphrase: string): KeyObject | undefined {
  const secret = Buffer.from(passphrase, 'utf8');
  try {
    return createPrivateKey({ key: block.text, format: 'pem', passphrase: secret });
  } catch {
    return undefined;
  } finally {
    secret.fill(0);
  }
}
