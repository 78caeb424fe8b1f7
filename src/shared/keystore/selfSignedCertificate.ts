/*
 * A throwaway self-signed certificate for `certs/<name>.crt`. Salesforce uses the .crt of a
 * self-signed Certificate only as a template and makes its own key pair (docs/salesforce-metadata.md §6), so the key
 * here is discarded. To keep generated source byte-identical on every run, the RSA key is derived
 * from a public seed and the validity is fixed: the key is NOT secret and must never be used for
 * anything else.
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  nullValue,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

export type SelfSignedCertificateSpec = {
  commonName: string;
  /** Anything; the same seed gives the same key and certificate. */
  seed: string;
  notBefore: Date;
  notAfter: Date;
};

/** Fixed validity of the template (Salesforce issues its own); UTC. */
export const TEMPLATE_VALIDITY = {
  notBefore: new Date(Date.UTC(2025, 0, 1)),
  notAfter: new Date(Date.UTC(2035, 0, 1)),
} as const;

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const BASIC_CONSTRAINTS = '2.5.29.19';

/** PEM of a self-signed RSA-2048/SHA-256 certificate, deterministic in `spec`. */
export function selfSignedCertificatePem(spec: SelfSignedCertificateSpec): string {
  const key = deterministicRsaKey(spec.seed, 2048);
  const algorithm = sequence(objectIdentifier(SHA256_WITH_RSA), nullValue());
  const name = sequence(set(sequence(objectIdentifier(COMMON_NAME), utf8String(spec.commonName))));
  const serial = createHash('sha256').update(`serial:${spec.seed}`).digest().subarray(0, 16);
  serial[0] &= 0x7f; // positive, as RFC 5280 requires
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(time(spec.notBefore), time(spec.notAfter)),
    name,
    createPublicKey(key).export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(sequence(objectIdentifier(BASIC_CONSTRAINTS), boolean(true), octetString(sequence(boolean(true))))))
  );
  const signature = sign('sha256', tbs, key); // PKCS#1 v1.5: deterministic
  const der = sequence(tbs, algorithm, bitString(signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** An RSA key whose primes come from a SHA-256 counter stream over `seed`. */
export function deterministicRsaKey(seed: string, bits: number): KeyObject {
  const random = byteStream(seed);
  const e = 65_537n;
  const prime = (): bigint => {
    for (;;) {
      const candidate = randomPrime(bits / 2, random);
      if ((candidate - 1n) % e !== 0n) return candidate;
    }
  };
  let p = prime();
  let q = prime();
  while (p === q) q = prime();
  if (p < q) [p, q] = [q, p];
  const n = p * q;
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const jwk = {
    kty: 'RSA',
    n: toBase64Url(n),
    e: toBase64Url(e),
    d: toBase64Url(d),
    p: toBase64Url(p),
    q: toBase64Url(q),
    dp: toBase64Url(d % (p - 1n)),
    dq: toBase64Url(d % (q - 1n)),
    qi: toBase64Url(modInverse(q, p)),
  };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

function byteStream(seed: string): (count: number) => Buffer {
  let counter = 0;
  return (count) => {
    const blocks: Buffer[] = [];
    for (let size = 0; size < count; size += 32) {
      blocks.push(createHash('sha256').update(`${seed}:${counter++}`).digest());
    }
    return Buffer.concat(blocks).subarray(0, count);
  };
}

const SMALL_PRIMES = ((): bigint[] => {
  const primes: bigint[] = [];
  for (let candidate = 3; candidate < 2000; candidate += 2) {
    if (primes.every((prime) => candidate % Number(prime) !== 0)) primes.push(BigInt(candidate));
  }
  return primes;
})();

function randomPrime(bits: number, random: (count: number) => Buffer): bigint {
  for (;;) {
    const bytes = random(bits / 8);
    bytes[0] |= 0xc0; // top two bits set: the product has exactly 2*bits bits
    bytes[bytes.length - 1] |= 1;
    const candidate = BigInt(`0x${bytes.toString('hex')}`);
    if (SMALL_PRIMES.some((prime) => candidate % prime === 0n)) continue;
    if (isProbablePrime(candidate, random)) return candidate;
  }
}

/** Miller-Rabin with 40 bases drawn from the stream (error below 2^-80). */
function isProbablePrime(n: bigint, random: (count: number) => Buffer): boolean {
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  const width = (n.toString(16).length + 1) >> 1;
  for (let round = 0; round < 40; round++) {
    const a = (BigInt(`0x${random(width).toString('hex')}`) % (n - 3n)) + 2n;
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < r; i++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  return ((oldS % m) + m) % m;
}

function toBase64Url(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}
