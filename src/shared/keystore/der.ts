/*
 * The few DER pieces the keystore needs: a length-checked TLV reader (JKS key blobs, certificate
 * extensions) and a TLV writer. node:crypto parses keys and certificates but exposes neither the
 * KeyUsage bits nor the signature algorithm, and knows nothing of Sun's KeyProtector wrapper.
 */

export type Tlv = {
  tag: number;
  /** Content bytes (without tag and length). */
  value: Buffer;
  /** The whole element, tag and length included. */
  raw: Buffer;
};

export class DerError extends Error {}

/** Reads one TLV at `offset`; throws DerError when the bytes are not well-formed DER. */
export function readTlv(buf: Buffer, offset = 0): Tlv & { end: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated DER');
  const tag = buf[offset];
  let length = buf[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4 || offset + 2 + octets > buf.length) throw new DerError('bad DER length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + buf[offset + 2 + i];
    header += octets;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new DerError('truncated DER');
  return { tag, value: buf.subarray(offset + header, end), raw: buf.subarray(offset, end), end };
}

/** The elements inside a constructed value (SEQUENCE, SET, explicit tag). */
export function children(value: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < value.length; ) {
    const tlv = readTlv(value, offset);
    out.push(tlv);
    offset = tlv.end;
  }
  return out;
}

export function encodeTlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const length =
    n < 0x80 ? [n] : n < 0x1_00 ? [0x81, n] : n < 0x1_00_00 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

/** Dotted OID from the content bytes of an OBJECT IDENTIFIER. */
export function decodeOid(value: Buffer): string {
  if (value.length === 0) throw new DerError('empty OID');
  const parts = [Math.floor(value[0] / 40), value[0] % 40];
  let current = 0;
  for (const byte of value.subarray(1)) {
    current = current * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(current);
      current = 0;
    }
  }
  return parts.join('.');
}

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
} as const;
