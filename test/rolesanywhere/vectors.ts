/* Loads the shared CreateSession vectors (captured from AWS's credential helper) for tests. */
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { projectRoot } from '../helpers/sfCli.js';

export const vectorsDir = join(projectRoot, 'test', 'fixtures', 'vectors', 'rolesanywhere');

export type Vector = {
  dir: string;
  inputs: {
    trustAnchorArn: string;
    profileArn: string;
    roleArn: string;
    durationSeconds: number;
    region: string;
    endpointHost: string;
  };
  files: {
    certificate: string;
    intermediates: string | null;
    root: string;
    privateKey: string;
    encryptedPrivateKey: string;
    encryptedPrivateKeyPassphrase: string;
  };
  request: { method: string; path: string; query: string; headers: Record<string, string>; body: string };
  xAmzDate: string;
  credentialProcessOutput: string;
  deterministic: boolean;
};

export function loadVector(name: 'rsa2048-chain' | 'ec-p256'): Vector {
  const dir = join(vectorsDir, name);
  return { dir, ...(JSON.parse(readFileSync(join(dir, 'vector.json'), 'utf8')) as Omit<Vector, 'dir'>) };
}

export const vectorPath = (v: Vector, file: string): string => join(v.dir, file);

export function vectorMaterial(v: Vector): { key: KeyObject; leaf: X509Certificate; intermediates: X509Certificate[]; root: X509Certificate } {
  const read = (f: string): string => readFileSync(join(v.dir, f), 'utf8');
  return {
    key: createPrivateKey(read(v.files.privateKey)),
    leaf: new X509Certificate(read(v.files.certificate)),
    intermediates: v.files.intermediates ? splitPem(read(v.files.intermediates)).map((p) => new X509Certificate(p)) : [],
    root: new X509Certificate(read(v.files.root)),
  };
}

export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** `20261122T041355Z` -> Date */
export function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new Error(`bad X-Amz-Date ${value}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}
