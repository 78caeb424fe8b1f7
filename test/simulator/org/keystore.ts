/*
 * Setup's "Import from Keystore" in the simulated org: reads the JKS bytes an admin uploads (the format of
 * docs/jks-format.md §2-§4, parsed here independently of src/), checks the keystore integrity digest and
 * recovers the private key with the store password, then applies Salesforce's import rules
 * (docs/salesforce-metadata.md §8). The org keeps the key and the chain; nothing of them is returned.
 */
import { createHash, createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { keystoreImportMessages as messages } from '../rules/inferred.js';

export type ImportedKeystore = { alias: string; developerName: string; privateKey: KeyObject; chain: X509Certificate[] };

/** An import Salesforce refuses, with the message Setup shows. */
export class KeystoreImportError extends Error {}

type RawEntry = { tag: 1; alias: string; protectedKey: Buffer; chain: Buffer[] } | { tag: 2; alias: string; certificate: Buffer };

const JKS_MAGIC = 0xfe_ed_fe_ed;
const KEY_PROTECTOR_OID = Buffer.from('2b060104012a02110101', 'hex'); // 1.3.6.1.4.1.42.2.17.1.1
const sha1 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
};
/** Java's password bytes: UTF-16BE code units (docs/jks-format.md §3). */
const passwordBytes = (password: string): Buffer => Buffer.from(password, 'utf16le').swap16();

/** Reads a JKS; a non-JKS file, a bad integrity digest (wrong password or damage) or bad structure throws. */
export function readJks(bytes: Buffer, password: string): RawEntry[] {
  if (bytes.length < 12 || bytes.readUInt32BE(0) !== JKS_MAGIC) throw new KeystoreImportError(messages.notJks());
  const version = bytes.readUInt32BE(4);
  if (version !== 1 && version !== 2) throw new KeystoreImportError(messages.notJks());
  const digestAt = bytes.length - 20;
  const expected = sha1(passwordBytes(password), Buffer.from('Mighty Aphrodite', 'utf8'), bytes.subarray(0, digestAt));
  if (!expected.equals(bytes.subarray(digestAt))) throw new KeystoreImportError(messages.wrongPassword());
  let at = 8;
  const u32 = (): number => {
    const v = bytes.readUInt32BE(at);
    at += 4;
    return v;
  };
  const utf = (): string => {
    const n = bytes.readUInt16BE(at);
    const s = bytes.subarray(at + 2, at + 2 + n).toString('utf8');
    at += 2 + n;
    return s;
  };
  const blob = (): Buffer => {
    const n = u32();
    const b = bytes.subarray(at, at + n);
    at += n;
    return b;
  };
  const certificate = (): Buffer => {
    if (version === 2 && utf() !== 'X.509') throw new KeystoreImportError(messages.notJks());
    return blob();
  };
  const entries: RawEntry[] = [];
  const count = u32();
  try {
    for (let i = 0; i < count; i++) {
      const tag = u32();
      const alias = utf();
      at += 8; // creation date
      if (tag === 1) {
        const protectedKey = blob();
        const chain = Array.from({ length: u32() }, certificate);
        entries.push({ tag, alias, protectedKey, chain });
      } else if (tag === 2) {
        entries.push({ tag, alias, certificate: certificate() });
      } else throw new KeystoreImportError(messages.notJks());
    }
  } catch (error) {
    throw error instanceof KeystoreImportError ? error : new KeystoreImportError(messages.notJks());
  }
  if (at !== digestAt) throw new KeystoreImportError(messages.notJks());
  return entries;
}

/** One DER TLV at `offset`: tag, value and the offset after it. */
function tlv(der: Buffer, offset: number): { tag: number; value: Buffer; end: number } {
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = der.subarray(start, start + n).reduce((acc, b) => acc * 256 + b, 0);
    start += n;
  }
  return { tag, value: der.subarray(start, start + length), end: start + length };
}

/**
 * Sun's KeyProtector (docs/jks-format.md §4): SHA-1 keystream over password ‖ salt, XOR, then a SHA-1 check
 * over password ‖ plaintext. A failed check means the key's password is not the store password.
 */
export function recoverKey(protectedKey: Buffer, password: string): Buffer {
  const outer = tlv(protectedKey, 0);
  const algorithm = tlv(outer.value, 0);
  const oid = tlv(algorithm.value, 0);
  const data = tlv(outer.value, algorithm.end);
  if (outer.tag !== 0x30 || oid.tag !== 0x06 || !oid.value.equals(KEY_PROTECTOR_OID) || data.tag !== 0x04) {
    throw new KeystoreImportError(messages.notJks());
  }
  const pw = passwordBytes(password);
  const salt = data.value.subarray(0, 20);
  const encrypted = data.value.subarray(20, data.value.length - 20);
  const check = data.value.subarray(data.value.length - 20);
  const stream: Buffer[] = [];
  for (let digest = salt, n = 0; n < encrypted.length; n += 20) {
    digest = sha1(pw, digest);
    stream.push(digest);
  }
  const keystream = Buffer.concat(stream);
  const plain = Buffer.from(encrypted.map((b, i) => b ^ keystream[i]));
  if (!sha1(pw, plain).equals(check)) throw new KeystoreImportError(messages.keyPasswordDiffers());
  return plain;
}

/** Salesforce's import rules, in the order the checks can be made; the first failure is the answer. */
export function importKeystore(bytes: Buffer, password: string): ImportedKeystore {
  const entries = readJks(bytes, password);
  const keyEntries = entries.filter((e): e is Extract<RawEntry, { tag: 1 }> => e.tag === 1);
  // Java looks aliases up lower-cased, so an upper-case alias on disk is never found (docs/jks-format.md §6).
  const findable = keyEntries.filter((e) => e.alias === e.alias.toLowerCase());
  if (findable.length === 0) throw new KeystoreImportError(messages.noPrivateKeyEntry());
  if (keyEntries.length > 1) throw new KeystoreImportError(messages.severalPrivateKeyEntries());
  const [entry] = findable;
  const plain = recoverKey(entry.protectedKey, password);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' });
  } catch {
    throw new KeystoreImportError(messages.notPkcs8());
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw new KeystoreImportError(messages.notRsa());
  if (![2048, 3072, 4096].includes(privateKey.asymmetricKeyDetails?.modulusLength ?? 0)) throw new KeystoreImportError(messages.badKeySize());
  let chain: X509Certificate[];
  try {
    chain = entry.chain.map((der) => new X509Certificate(der));
  } catch {
    throw new KeystoreImportError(messages.notJks());
  }
  if (chain.length === 0 || !chain[0].checkPrivateKey(privateKey)) throw new KeystoreImportError(messages.keyDoesNotMatchChain());
  const developerName = entry.alias.toLowerCase();
  // [doc] DeveloperName: letters, digits, `_`, starts with a letter, no `__`, no trailing `_` (docs/salesforce-metadata.md §8).
  if (!/^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/.test(developerName) || developerName.length > 64) {
    throw new KeystoreImportError(messages.badAlias(entry.alias));
  }
  return { alias: entry.alias, developerName, privateKey, chain };
}
