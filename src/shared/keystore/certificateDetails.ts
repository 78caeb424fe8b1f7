/*
 * What node:crypto's X509Certificate does not expose: the KeyUsage bits (its `keyUsage` is the
 * EXTENDED key usage list), basicConstraints cA as written (its `ca` is OpenSSL's X509_check_ca, false
 * for CA:TRUE without keyCertSign) and the signature algorithm OID. A short DER walk of the certificate.
 */
import type { X509Certificate } from 'node:crypto';
import { TAG, children, decodeOid, readTlv } from './der.js';

const KEY_USAGE_OID = '2.5.29.15';
const BASIC_CONSTRAINTS_OID = '2.5.29.19';
const BOOLEAN_TAG = 0x01;
const EXTENSIONS_TAG = 0xa3;

export type CertificateDetails = {
  signatureAlgorithmOid: string;
  /** undefined when the certificate has no KeyUsage extension. */
  digitalSignature?: boolean;
  /** basicConstraints cA (DEFAULT FALSE); false when the extension is absent. */
  basicConstraintsCa: boolean;
};

export function certificateDetails(cert: X509Certificate): CertificateDetails {
  const [tbs, signatureAlgorithm] = children(readTlv(cert.raw).value);
  const details: CertificateDetails = {
    signatureAlgorithmOid: decodeOid(children(signatureAlgorithm.value)[0].value),
    basicConstraintsCa: false,
  };
  const extensions = children(tbs.value).find((field) => field.tag === EXTENSIONS_TAG);
  if (!extensions) return details;
  for (const extension of children(readTlv(extensions.value).value)) {
    // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    const fields = children(extension.value);
    const oid = decodeOid(fields[0].value);
    const extnValue = readTlv(fields[fields.length - 1].value);
    if (oid === KEY_USAGE_OID && extnValue.tag === TAG.bitString) {
      // value[0] = unused-bit count; bit 0 (digitalSignature) is the top bit of the first data byte
      details.digitalSignature = extnValue.value.length > 1 && (extnValue.value[1] & 0x80) !== 0;
    }
    if (oid === BASIC_CONSTRAINTS_OID && extnValue.tag === TAG.sequence) {
      // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
      const first = children(extnValue.value)[0];
      details.basicConstraintsCa = first?.tag === BOOLEAN_TAG && first.value[0] !== 0;
    }
  }
  return details;
}

/** The CN when there is one (what admins recognise), else the whole subject on one line. */
export function certificateName(cert: X509Certificate): string {
  const cn = /^CN=(.*)$/m.exec(cert.subject);
  return cn ? cn[1] : cert.subject.replace(/\n/g, ', ');
}
