/*
 * The guided keystore import (Salesforce has no API to import a private key: docs/salesforce-metadata.md
 * §8). When the org has no certificate with the keystore's alias: enable the Identity Provider if it is
 * off, open Setup > Certificate and Key Management (or print its path), say which file and alias, and poll
 * the org until the certificate appears and matches the keystore. A matching one already there skips it
 * all; a same-name certificate with another key is refused; a non-interactive run stops at once.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { X509Certificate } from 'node:crypto';
import type { Connection, Org } from '@salesforce/core';
import { env } from '@salesforce/kit';
import { openKeystore, type SecretAsker } from '../keystore/intake.js';
import { certificateFromDer } from '../keystore/pem.js';
import { identityProviderFiles } from '../metadata/builder.js';
import { DEFAULT_NAMES } from '../metadata/constants.js';
import { identityProviderSpec } from '../metadata/generate.js';
import { identityProviderEnabled } from '../doctor/drift.js';
import { deploySource } from '../org/deploy.js';
import { assertDeploySucceeded } from '../org/deployService.js';
import { retrieveComponentXml } from '../org/retrieveComponents.js';
import { soqlString } from '../org/soql.js';
import { pollIntervalMs } from '../pollInterval.js';
import { type Comparison, compareWithKeystore } from './compare.js';
import { importMessages as messages } from './messages.js';

/** Setup > Certificate and Key Management, as a Lightning path for `getFrontDoorUrl` [doc] (HELP-KS). */
export const CERTIFICATE_SETUP_PATH = '/lightning/setup/CertificatesAndKeysManagement/home';

export type GuidedImportRequest = {
  org: Org;
  connection: Connection;
  keystorePath: string;
  /** The keystore's alias = the certificate's Unique Name. */
  alias: string;
  /** The keystore's leaf certificate. */
  leaf: X509Certificate;
  /** A person can act (terminal, not --json); otherwise the run stops at once with the instruction. */
  interactive: boolean;
  /** false: print the Setup path instead of opening the browser (--no-browser). */
  browser: boolean;
  timeoutMs: number;
  pollMs?: number;
  say: (message: string) => void;
  /** Opens a URL in the browser, false when it could not; default the `open` package, as `sf org open`. */
  open?: (url: string) => Promise<boolean>;
};

export type GuidedImportResult = {
  /** present: it was there already and matches; imported: it appeared while we waited. */
  action: 'present' | 'imported';
  certificate: string;
  compared: Comparison['compared'];
  detail: string;
  identityProviderEnabled: boolean;
};

type CertificateRow = { ExpirationDate?: string | null; KeySize?: number | null; CertificateChain?: string | null };

export async function ensureCertificateImported(request: GuidedImportRequest): Promise<GuidedImportResult> {
  const { alias } = request;
  const file = resolve(request.keystorePath);
  const existing = await findCertificate(request.connection, alias);
  if (existing) return { ...matched(request, existing, 'present'), identityProviderEnabled: false };
  if (!request.interactive) throw messages.createError('error.ImportRequired', [alias, file], [file, alias]);

  const identityProvider = await enableIdentityProvider(request);
  if (identityProvider) request.say(messages.getMessage('status.identityProviderEnabled'));
  const setupAddress = new URL(CERTIFICATE_SETUP_PATH, request.connection.instanceUrl).toString();
  // As `sf org open --path`: a single-use frontdoor URL (the UI Bridge API), handed to the browser only and
  // never printed, since it logs the user in. Without a browser (or when none opens), the plain address.
  const opened = request.browser && !containerMode() && (await (request.open ?? openInBrowser)(await request.org.getFrontDoorUrl(CERTIFICATE_SETUP_PATH)));
  request.say(opened ? messages.getMessage('status.browserOpened') : messages.getMessage('status.setupPath', [setupAddress]));
  request.say(messages.getMessage('status.instruction', [file, alias]));

  const deadline = Date.now() + request.timeoutMs;
  const pollMs = request.pollMs ?? 5000;
  while (Date.now() < deadline) {
    // eslint-disable-next-line no-await-in-loop
    await new Promise((done) => setTimeout(done, pollMs));
    // eslint-disable-next-line no-await-in-loop
    const row = await findCertificate(request.connection, alias);
    if (row) return { ...matched(request, row, 'imported'), identityProviderEnabled: identityProvider };
  }
  throw messages.createError('error.ImportTimeout', [alias, String(Math.round(request.timeoutMs / 1000))], [file, alias]);
}

function matched(request: GuidedImportRequest, row: CertificateRow, action: GuidedImportResult['action']): Omit<GuidedImportResult, 'identityProviderEnabled'> {
  const comparison = compareWithKeystore(
    { expirationDate: row.ExpirationDate, keySize: row.KeySize, certificateChain: row.CertificateChain },
    request.leaf
  );
  const compared = messages.getMessage(`compared.${comparison.compared}`);
  if (!comparison.matches) {
    throw messages.createError('error.OtherKey', [request.alias, comparison.detail, compared], [request.alias]);
  }
  return { action, certificate: request.alias, compared: comparison.compared, detail: `${compared}: ${comparison.detail}` };
}

async function findCertificate(connection: Connection, alias: string): Promise<CertificateRow | undefined> {
  const result = await connection.tooling.query<CertificateRow>(
    `SELECT DeveloperName, ExpirationDate, KeySize, CertificateChain FROM Certificate WHERE DeveloperName = '${soqlString(alias)}'`
  );
  return result.records[0];
}

/** Deploys the Identity Provider settings (and their throwaway certificate) when they are off; true when it did. */
async function enableIdentityProvider(request: GuidedImportRequest): Promise<boolean> {
  const path = 'settings/IdentityProvider.settings';
  const xml = await retrieveComponentXml(request.connection, [{ type: 'Settings', fullName: 'IdentityProvider', path }]);
  const current = xml.get(path);
  if (current && identityProviderEnabled(current).enabled) return false;
  const dir = await mkdtemp(join(tmpdir(), 'iamra-idp-'));
  try {
    const files = identityProviderFiles(identityProviderSpec(DEFAULT_NAMES.identityProviderCertificate));
    const paths = files.map((f) => join(dir, ...f.relativePath.split('/')));
    await Promise.all(paths.map((p) => mkdir(dirname(p), { recursive: true })));
    await Promise.all(files.map((f, i) => writeFile(paths[i], f.content)));
    const outcome = await deploySource({ org: request.org, connection: request.connection, paths });
    assertDeploySucceeded(outcome);
    return true;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** As `sf org open`: in container mode (no browser on this machine) nothing is opened. */
function containerMode(): boolean {
  return env.getBoolean('SF_CONTAINER_MODE') || env.getBoolean('SFDX_CONTAINER_MODE');
}

/**
 * The browser opener `sf org open` uses (the `open` package: the platform's launcher; on Linux its own
 * xdg-open, which honours $BROWSER), loaded only when a browser is wanted. false when none could start.
 */
async function openInBrowser(url: string): Promise<boolean> {
  const { default: open } = await import('open');
  try {
    await open(url);
    return true;
  } catch {
    return false;
  }
}

/** The keystore's private-key alias (lower case, as Salesforce names the certificate) and its leaf certificate. */
export async function readKeystoreLeaf(path: string, askSecret: SecretAsker): Promise<{ alias: string; leaf: X509Certificate }> {
  const { store, password } = await openKeystore(resolve(path), askSecret);
  password.fill(0);
  const entry = store.entries.find((e) => e.kind === 'privateKey');
  if (entry?.kind !== 'privateKey' || entry.chain.length === 0) throw messages.createError('error.NoKeyEntry', [path]);
  return { alias: entry.alias.toLowerCase(), leaf: certificateFromDer(entry.chain[0], path) };
}

export type KeystoreImportRequest = Omit<GuidedImportRequest, 'alias' | 'leaf'> & {
  askSecret: SecretAsker;
  /** --certificate-name, when given: must be the keystore's alias. */
  certificateName?: string;
};

/** Reads the keystore, checks the name, and runs the guided import: what commands with --keystore call. */
export async function importKeystoreCertificate(request: KeystoreImportRequest): Promise<GuidedImportResult> {
  return ensureCertificateImported({ ...request, ...(await namedLeaf(request)) });
}

/** --dry-run: the certificate is not in the org yet; a real run would guide its import. */
export type PendingImport = { action: 'to-import'; certificate: string; keystore: string };

/**
 * What the guided import would do, changing nothing: a matching certificate is present (or another key
 * is refused, as a real run would), or it is still to be imported. No Identity Provider, browser or wait.
 */
export async function planKeystoreImport(request: KeystoreImportRequest): Promise<GuidedImportResult | PendingImport> {
  const named = { ...request, ...(await namedLeaf(request)) };
  const existing = await findCertificate(request.connection, named.alias);
  if (existing) return { ...matched(named, existing, 'present'), identityProviderEnabled: false };
  return { action: 'to-import', certificate: named.alias, keystore: resolve(request.keystorePath) };
}

async function namedLeaf(request: KeystoreImportRequest): Promise<{ alias: string; leaf: X509Certificate }> {
  const { alias, leaf } = await readKeystoreLeaf(request.keystorePath, request.askSecret);
  if (request.certificateName && request.certificateName !== alias) {
    throw messages.createError('error.AliasMismatch', [request.certificateName, alias], [request.certificateName]);
  }
  return { alias, leaf };
}

/** Every 5 seconds while a person imports in Setup (src/shared/pollInterval.ts). */
export const importPollMs = (): number => pollIntervalMs(5000);
