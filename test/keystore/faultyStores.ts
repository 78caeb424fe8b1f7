/*
 * Keystores with the classic hand-made mistakes, written with our own writer (keytool cannot make
 * most of them): upper-case alias on disk, PKCS#1 blob, reversed chain. Deterministic (salt, time).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { passwordBytes, writeJks } from '../../src/shared/keystore/jks.js';
import { pki, STOREPASS } from '../helpers/fixtures.js';

const key = createPrivateKey(readFileSync(pki('leaf-rsa2048.key.pem')));
const chain = ['leaf-rsa2048.pem', 'intermediate-ca.pem', 'root-ca.pem'].map((f) => new X509Certificate(readFileSync(pki(f))).raw);
const now = new Date('2026-01-01T00:00:00Z');
const salt = Buffer.alloc(20, 1);

export type FaultyStore = 'upper-alias' | 'pkcs1-blob' | 'reversed-chain';

export function writeFaultyStore(dir: string, fault: FaultyStore): string {
  const file = join(dir, `${fault}.jks`);
  const pkcs8 = key.export({ type: fault === 'pkcs1-blob' ? 'pkcs1' : 'pkcs8', format: 'der' });
  writeFileSync(
    file,
    writeJks({
      alias: fault === 'upper-alias' ? 'IAMRA' : 'iamra',
      password: passwordBytes(STOREPASS),
      pkcs8,
      chain: fault === 'reversed-chain' ? [...chain].reverse() : chain,
      now,
      salt,
    })
  );
  return file;
}

/** `node --loader ts-node/esm test/keystore/faultyStores.ts <dir>` (scripts/make-fixtures.sh) writes all of them. */
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const dir = process.argv[2] ?? '.';
  for (const fault of ['upper-alias', 'pkcs1-blob', 'reversed-chain'] as const) {
    renameSync(writeFaultyStore(dir, fault), join(dir, `writer-${fault}.jks`));
  }
}
