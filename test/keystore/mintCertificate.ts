/*
 * Certificates minted at test time, for what a committed fixture cannot hold still: a leaf that
 * expires a given number of days from now. The committed fixtures ship no CA private key (see
 * scripts/make-fixtures.sh: CA keys stay in its temp dir), so the throwaway test CA issues it.
 * Everything is written to `dir`, which the caller removes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCa } from '../helpers/testCa.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export type MintedLeaf = {
  /** PEM files: the leaf certificate, its unencrypted private key (PKCS#8), the CA chain that issued it. */
  certificate: string;
  privateKey: string;
  chain: string;
  /** Whole seconds, as X.509 stores it, so it compares equal to what the certificate says. */
  notAfter: Date;
};

/**
 * A leaf Salesforce and IAM Roles Anywhere would take (RSA 2048, CA:false, keyUsage digitalSignature,
 * clientAuth, SHA-256) whose notAfter is `days` days and `extraMs` from now.
 */
export function mintLeafExpiringIn(dir: string, days: number, options: { name?: string; extraMs?: number } = {}): MintedLeaf {
  const name = options.name ?? 'leaf-expires-soon';
  const notAfter = new Date(Math.floor((Date.now() + days * DAY_MS + (options.extraMs ?? 0)) / 1000) * 1000);
  const ca = createTestCa();
  const leaf = ca.issueLeaf(name, { notAfter });
  const files = { certificate: join(dir, `${name}.pem`), privateKey: join(dir, `${name}.key.pem`), chain: join(dir, `${name}.ca.pem`) };
  writeFileSync(files.certificate, leaf.certificatePem);
  writeFileSync(files.privateKey, leaf.privateKeyPem, { mode: 0o600 });
  writeFileSync(files.chain, ca.chainPem);
  return { ...files, notAfter };
}
