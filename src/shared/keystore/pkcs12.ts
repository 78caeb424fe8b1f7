/*
 * Reads a PKCS#12 (.p12/.pfx) with node-forge - the one job node:crypto cannot do - and hands the
 * key to node:crypto as PKCS#8 DER, so RSA and EC keys are treated alike downstream.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { Messages } from '@salesforce/core';
import forge from 'node-forge';
import { KEY_PASSPHRASE_ENV, KEY_PASSPHRASE_FILE_FLAG } from './constants.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'keystore');

export type Pkcs12Contents = { key: KeyObject; certificates: X509Certificate[] };

/** The PKCS#12 password is asked for only when the file does not open with an empty one. */
export async function readPkcs12(
  data: Buffer,
  path: string,
  askPassword: () => Promise<string | undefined>
): Promise<Pkcs12Contents> {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary')));
  } catch {
    throw messages.createError('error.NotPkcs12', [path]);
  }
  let p12 = openWith(asn1, '', path);
  if (!p12) {
    const password = await askPassword();
    if (password === undefined) {
      throw messages.createError('error.KeyPassphraseMissing', [path], [KEY_PASSPHRASE_ENV, KEY_PASSPHRASE_FILE_FLAG]);
    }
    p12 = openWith(asn1, password, path);
    if (!p12) throw messages.createError('error.WrongKeyPassphrase', [path], [KEY_PASSPHRASE_ENV, KEY_PASSPHRASE_FILE_FLAG]);
  }
  const keys = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  if (keys.length !== 1) throw messages.createError('error.Pkcs12KeyCount', [path, String(keys.length)]);
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  if (certBags.length === 0) throw messages.createError('error.NoCertificate', [path]);
  return {
    key: toKeyObject(keys[0], path),
    certificates: certBags.map((bag) => new X509Certificate(toDer(bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1))),
  };
}

/** undefined when the password does not open the file (MAC or decryption fails). */
function openWith(asn1: forge.asn1.Asn1, password: string, path: string): forge.pkcs12.Pkcs12Pfx | undefined {
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/password|decrypt/i.test(text)) return undefined;
    throw messages.createError('error.NotPkcs12', [path]);
  }
}

function toKeyObject(bag: forge.pkcs12.Bag, path: string): KeyObject {
  // forge decodes only RSA keys; for others (EC) it keeps the PrivateKeyInfo ASN.1 in bag.asn1
  const info = bag.key
    ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
    : bag.asn1;
  const der = toDer(info);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw messages.createError('error.BadPrivateKey', [path]);
  } finally {
    der.fill(0);
  }
}

function toDer(asn1: forge.asn1.Asn1 | undefined): Buffer {
  if (!asn1) return Buffer.alloc(0);
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
