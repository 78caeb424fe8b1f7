/*
 * The one result shape `keystore build` and `keystore inspect` share (their --json results): what
 * an admin checks before importing - which certificate, which key, which chain - plus findings.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { Finding } from './rules.js';

export type KeystoreReport = {
  /** Absolute path of the keystore file. */
  path: string;
  /** Alias of the private-key entry as stored; Salesforce's certificate Unique Name. */
  alias: string;
  /** SHA-256 fingerprint of the leaf certificate, colon-separated hex. */
  fingerprintSha256: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** 'rsa', 'ec', ... as node:crypto names key types. */
  keyType: string;
  /** RSA modulus bits or EC curve bits. */
  keySize: number;
  chainLength: number;
  /** Leaf first, root last. */
  chainSubjects: string[];
  /** Every rule broken (errors) or worth knowing (warnings); empty when all is well. */
  findings: Finding[];
};

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime256v1: 256,
  'P-256': 256,
  secp384r1: 384,
  'P-384': 384,
  secp521r1: 521,
  'P-521': 521,
};

export function keySize(key: KeyObject): number {
  const details = key.asymmetricKeyDetails ?? {};
  if (details.modulusLength) return details.modulusLength;
  return details.namedCurve ? CURVE_BITS[details.namedCurve] ?? 0 : 0;
}

export const oneLine = (name: string): string => name.split('\n').join(', ');

export function describeKeystore(path: string, alias: string, chain: X509Certificate[], findings: Finding[]): KeystoreReport {
  const leaf = chain[0];
  return {
    path,
    alias,
    fingerprintSha256: leaf.fingerprint256,
    subject: oneLine(leaf.subject),
    issuer: oneLine(leaf.issuer),
    serialNumber: leaf.serialNumber,
    notBefore: new Date(leaf.validFrom).toISOString(),
    notAfter: new Date(leaf.validTo).toISOString(),
    keyType: leaf.publicKey.asymmetricKeyType ?? 'unknown',
    keySize: keySize(leaf.publicKey),
    chainLength: chain.length,
    chainSubjects: chain.map((cert) => oneLine(cert.subject)),
    findings,
  };
}

export type ReportRow = { field: string; value: string };

/** The report as the short two-column table both commands print. */
export function reportRows(report: KeystoreReport): ReportRow[] {
  return [
    { field: 'Path', value: report.path },
    { field: 'Alias', value: report.alias },
    { field: 'Subject', value: report.subject },
    { field: 'Issuer', value: report.issuer },
    { field: 'Serial', value: report.serialNumber },
    { field: 'Valid', value: `${report.notBefore} .. ${report.notAfter}` },
    { field: 'Key', value: `${report.keyType.toUpperCase()} ${report.keySize}` },
    { field: 'SHA-256', value: report.fingerprintSha256 },
    { field: `Chain (${report.chainLength})`, value: report.chainSubjects.join(' <- ') },
  ];
}
