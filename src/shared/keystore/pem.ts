/*
 * PEM text handling: split a file into its blocks and refuse binary or garbage input with a message
 * that says what was expected. Certificates may also come as a single DER file.
 */
import { X509Certificate } from 'node:crypto';
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'keystore');

export type PemBlock = {
  label: string;
  /** The block exactly as in the file, BEGIN/END lines included (what node:crypto parses). */
  text: string;
  /** RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED` (legacy encrypted keys). */
  headers: string[];
};

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(BLOCK)].map((match) => ({
    label: match[1],
    text: match[0],
    headers: match[2].split(/\r?\n/).filter((line) => /^[A-Za-z-]+:/.test(line)),
  }));
}

/** Binary content (NUL bytes or control characters) cannot be PEM. */
export function looksBinary(data: Buffer): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0e-\x1a\x1c-\x1f]/.test(data.toString('latin1'));
}

/** Every certificate in a PEM file (or the one certificate of a DER file), in file order. */
export function parseCertificates(data: Buffer, path: string): X509Certificate[] {
  if (looksBinary(data)) {
    try {
      return [new X509Certificate(data)];
    } catch {
      throw messages.createError('error.BinaryInput', ['certificate', path]);
    }
  }
  const blocks = pemBlocks(data.toString('utf8')).filter((block) => block.label === 'CERTIFICATE');
  if (blocks.length === 0) throw messages.createError('error.NoCertificate', [path]);
  return blocks.map((block) => {
    try {
      return new X509Certificate(block.text);
    } catch {
      throw messages.createError('error.BadCertificate', [path]);
    }
  });
}

/** A certificate stored as DER (inside a keystore). */
export function certificateFromDer(der: Buffer, path: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw messages.createError('error.BadCertificate', [path]);
  }
}

/** The one private-key block of a key file. */
export function findPrivateKeyBlock(data: Buffer, path: string): PemBlock {
  if (looksBinary(data)) throw messages.createError('error.BinaryInput', ['private key', path]);
  const blocks = pemBlocks(data.toString('utf8')).filter((block) => block.label.endsWith('PRIVATE KEY'));
  if (blocks.length === 0) throw messages.createError('error.NoPrivateKey', [path]);
  if (blocks.length > 1) throw messages.createError('error.SeveralPrivateKeys', [path, String(blocks.length)]);
  return blocks[0];
}

export function isEncryptedKeyBlock(block: PemBlock): boolean {
  return block.label === 'ENCRYPTED PRIVATE KEY' || block.headers.some((h) => /^Proc-Type:\s*4,\s*ENCRYPTED/i.test(h));
}
