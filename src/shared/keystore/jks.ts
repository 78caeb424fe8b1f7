/*
 * Java KeyStore (JKS) writer and reader, byte-compatible with OpenJDK's JavaKeyStore/KeyProtector
 * (layout: docs/jks-format.md). Pure: salt and time are parameters, no I/O.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DerError, TAG, children, decodeOid, nullValue, objectIdentifier, octetString, readTlv, sequence } from './der.js';

const MAGIC = 0xfe_ed_fe_ed;
const JCEKS_MAGIC = 0xce_ce_ce_ce;
const TAG_PRIVATE_KEY = 1;
const TAG_TRUSTED_CERT = 2;
const SALT_LENGTH = 20;
const DIGEST_LENGTH = 20;
/** Sun's proprietary KeyProtector algorithm. */
export const KEY_PROTECTOR_OID = '1.3.6.1.4.1.42.2.17.1.1';
const KEY_PROTECTOR_ALGORITHM = sequence(objectIdentifier(KEY_PROTECTOR_OID), nullValue());
const INTEGRITY_WHITENER = Buffer.from('Mighty Aphrodite', 'utf8');

export type JksEntry =
  | { kind: 'privateKey'; alias: string; createdAt: Date; protectedKey: Buffer; chain: Buffer[] }
  | { kind: 'trustedCert'; alias: string; createdAt: Date; certificate: Buffer };

export type JksStore = { version: number; entries: JksEntry[] };

export type JksErrorReason = 'pkcs12' | 'jceks' | 'format' | 'password';

export class JksError extends Error {
  public constructor(public readonly reason: JksErrorReason, detail: string) {
    super(detail);
  }
}

const sha1 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
/** Java writeUTF; callers only pass ASCII (aliases are validated, "X.509"), where modified UTF-8 = UTF-8. */
const utf = (s: string): Buffer => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};

/** Java's char[] -> bytes: each UTF-16 code unit, high byte first. Caller fills it with 0 after use. */
export function passwordBytes(password: string): Buffer {
  return Buffer.from(password, 'utf16le').swap16();
}

function keystream(password: Buffer, salt: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let digest = salt, n = 0; n < length; n += DIGEST_LENGTH) {
    digest = sha1(password, digest);
    blocks.push(digest);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** KeyProtector.protect: EncryptedPrivateKeyInfo DER around salt || (plain XOR keystream) || SHA1(pw || plain). */
export function protectKey(pkcs8: Buffer, password: Buffer, salt: Buffer = randomBytes(SALT_LENGTH)): Buffer {
  const stream = keystream(password, salt, pkcs8.length);
  const encrypted = Buffer.alloc(pkcs8.length);
  for (let i = 0; i < pkcs8.length; i++) encrypted[i] = pkcs8[i] ^ stream[i];
  stream.fill(0);
  const blob = Buffer.concat([salt, encrypted, sha1(password, pkcs8)]);
  return sequence(KEY_PROTECTOR_ALGORITHM, octetString(blob));
}

/**
 * KeyProtector.recover: the plain key bytes, or undefined when the password does not open it (the
 * check digest differs - Java's "Cannot recover key"). Throws JksError('format') on a foreign blob.
 */
export function recoverKey(protectedKey: Buffer, password: Buffer): Buffer | undefined {
  let blob: Buffer;
  try {
    const outer = readTlv(protectedKey);
    const [algorithm, data] = children(outer.value);
    const oid = decodeOid(children(algorithm.value)[0].value);
    if (oid !== KEY_PROTECTOR_OID || data.tag !== TAG.octetString) {
      throw new JksError('format', `key protected with ${oid}, not Sun's KeyProtector`);
    }
    blob = data.value;
  } catch (error) {
    if (error instanceof JksError) throw error;
    throw new JksError('format', 'key entry is not an EncryptedPrivateKeyInfo');
  }
  if (blob.length < SALT_LENGTH + DIGEST_LENGTH) throw new JksError('format', 'key blob too short');
  const salt = blob.subarray(0, SALT_LENGTH);
  const encrypted = blob.subarray(SALT_LENGTH, blob.length - DIGEST_LENGTH);
  const check = blob.subarray(blob.length - DIGEST_LENGTH);
  const stream = keystream(password, salt, encrypted.length);
  const plain = Buffer.alloc(encrypted.length);
  for (let i = 0; i < encrypted.length; i++) plain[i] = encrypted[i] ^ stream[i];
  stream.fill(0);
  if (!timingSafeEqual(sha1(password, plain), check)) {
    plain.fill(0);
    return undefined;
  }
  return plain;
}

export type WriteJksOptions = {
  alias: string;
  password: Buffer;
  /** PKCS#8 PrivateKeyInfo DER. */
  pkcs8: Buffer;
  /** DER certificates, leaf first, root last. */
  chain: Buffer[];
  now?: Date;
  salt?: Buffer;
};

/** One PrivateKeyEntry carrying the chain; key password = store password (what Salesforce requires). */
export function writeJks(options: WriteJksOptions): Buffer {
  const protectedKey = protectKey(options.pkcs8, options.password, options.salt);
  const body = Buffer.concat([
    u32(MAGIC),
    u32(2),
    u32(1),
    u32(TAG_PRIVATE_KEY),
    utf(options.alias),
    u64((options.now ?? new Date()).getTime()),
    u32(protectedKey.length),
    protectedKey,
    u32(options.chain.length),
    ...options.chain.flatMap((cert) => [utf('X.509'), u32(cert.length), cert]),
  ]);
  return Buffer.concat([body, integrityDigest(options.password, body)]);
}

function integrityDigest(password: Buffer, body: Buffer): Buffer {
  return sha1(password, INTEGRITY_WHITENER, body);
}

/** Parses a JKS and checks its integrity digest with `password` (JksError 'password' when it differs). */
export function readJks(data: Buffer, password: Buffer): JksStore {
  const store = parseJks(data);
  const body = data.subarray(0, data.length - DIGEST_LENGTH);
  if (!timingSafeEqual(integrityDigest(password, body), data.subarray(data.length - DIGEST_LENGTH))) {
    throw new JksError('password', 'integrity check failed: wrong keystore password or a tampered file');
  }
  return store;
}

function parseJks(data: Buffer): JksStore {
  if (data.length >= 4 && data.readUInt32BE(0) === JCEKS_MAGIC) throw new JksError('jceks', 'JCEKS keystore');
  if (data.length < 4 || data.readUInt32BE(0) !== MAGIC) {
    throw data[0] === TAG.sequence ? new JksError('pkcs12', 'PKCS#12 keystore') : new JksError('format', 'no JKS magic');
  }
  const reader = new Reader(data.subarray(0, Math.max(0, data.length - DIGEST_LENGTH)));
  try {
    reader.u32();
    const version = reader.u32();
    if (version !== 1 && version !== 2) throw new JksError('format', `unknown JKS version ${version}`);
    const count = reader.u32();
    const entries: JksEntry[] = [];
    for (let i = 0; i < count; i++) {
      const tag = reader.u32();
      const alias = reader.utf();
      const createdAt = new Date(Number(reader.u64()));
      if (tag === TAG_PRIVATE_KEY) {
        const protectedKey = reader.bytes(reader.u32());
        const chainLength = reader.u32();
        const chain: Buffer[] = [];
        for (let c = 0; c < chainLength; c++) chain.push(reader.certificate(version));
        entries.push({ kind: 'privateKey', alias, createdAt, protectedKey, chain });
      } else if (tag === TAG_TRUSTED_CERT) {
        entries.push({ kind: 'trustedCert', alias, createdAt, certificate: reader.certificate(version) });
      } else {
        throw new JksError('format', `unknown entry tag ${tag}`);
      }
    }
    if (!reader.atEnd()) throw new JksError('format', 'trailing bytes after the entries');
    return { version, entries };
  } catch (error) {
    if (error instanceof JksError) throw error;
    throw new JksError('format', error instanceof Error ? error.message : String(error));
  }
}

class Reader {
  private offset = 0;
  public constructor(private readonly data: Buffer) {}

  public u32(): number {
    const value = this.data.readUInt32BE(this.take(4));
    return value;
  }
  public u64(): bigint {
    return this.data.readBigUInt64BE(this.take(8));
  }
  public bytes(length: number): Buffer {
    const start = this.take(length);
    return Buffer.from(this.data.subarray(start, start + length));
  }
  public utf(): string {
    const length = this.data.readUInt16BE(this.take(2));
    return this.bytes(length).toString('utf8');
  }
  public certificate(version: number): Buffer {
    if (version === 2) {
      const type = this.utf();
      if (type !== 'X.509') throw new JksError('format', `certificate type ${type}`);
    }
    return this.bytes(this.u32());
  }
  public atEnd(): boolean {
    return this.offset === this.data.length;
  }
  private take(length: number): number {
    if (this.offset + length > this.data.length) throw new DerError('truncated keystore');
    const start = this.offset;
    this.offset += length;
    return start;
  }
}
