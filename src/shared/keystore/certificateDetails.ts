/*
 * What node:crypto's X509Certificate does not expose: the KeyUsage bits (its `keyUsage` is the
 * EXTENDED key usage list) and the signature algorithm OID. A short DER walk of the certificate.
 */
import type { X509Certificate } from 'node:crypto';
import { TAG, children, decodeOid, readTlv } from './der.js';

const KEY_USAGE_OID = '2.5.29.15';
const EXTENSIONS_TAG = 0xa3;

export type CertificateDetails = {
  signatureAlgorithmOid: string;
  /** undefined when the certificate has no KeyUsage extension. */
  digitalSignature?: boolean;
};

export function certificateDetails(cert: X509Certificate): CertificateDetails {
  const [tbs, signatureAlgorithm] = children(readTlv(cert.raw).value);
  const signatureAlgorithmOid = decodeOid(children(signatureAlgorithm.value)[0].value);
  const extensions = children(tbs.value).find((field) => field.tag === EXTENSIONS_TAG);
  if (!extensions) return { signatureAlgorithmOid };
  for (const extension of children(readTlv(extensions.value).value)) {
    const fields = children(extension.value);
    if (decodeOid(fields[0].value) !== KEY_USAGE_OID) continue;
    const bits = readTlv(fields[fields.length - 1].value);
    if (bits.tag !== TAG.bitString) return { signatureAlgorithmOid };
    // value[0] = unused-bit count; bit 0 (digitalSignature) is the top bit of the first data byte
    return { signatureAlgorithmOid, digitalSignature: bits.value.length > 1 && (bits.value[1] & 0x80) !== 0 };
  }
  return { signatureAlgorithmOid };
}

/** The CN when there is one (what admins recognise), else the whole subject on one line. */
export function certificateName(cert: X509Certificate): string {
  const cn = /^CN=(.*)$/m.exec(cert.subject);
  return cn ? cn[1] : cert.subject.replace(/\n/g, ', ');
}
