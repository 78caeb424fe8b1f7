/*
 * Test data for the callout chain: the keytool-made keystore of test/fixtures/pki (the 2048-bit leaf
 * under the test intermediate and root CA), and an AWS account whose Roles Anywhere trust anchor trusts
 * that root, whose profile allows the role, and whose role trusts Roles Anywhere.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalAwsConfig } from '../../aws/localAws.js';
import type { OrgState } from '../org/state.js';

const pkiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'pki');
export const pkiFile = (name: string): string => join(pkiDir, name);

/** A keystore an admin would upload: bytes and store password (= key password), alias `iamra`. */
export const TEST_KEYSTORE = {
  bytes: (): Buffer => readFileSync(pkiFile('jks/keytool-good.jks')),
  password: readFileSync(pkiFile('storepass.txt'), 'utf8').trim(),
};

/** What an admin does before the plugin runs: enable the Identity Provider, then import the keystore. */
export function importTestKeystore(state: OrgState): void {
  state.identityProvider = { ...state.identityProvider, enabled: true };
  state.importKeystore(TEST_KEYSTORE.bytes(), TEST_KEYSTORE.password);
}

export type TestArns = { trustAnchor: string; profile: string; role: string };

/** One trust anchor (test root CA), one profile allowing the role, the role trusting Roles Anywhere. */
export function testAwsAccount(arns: TestArns, extra: Partial<LocalAwsConfig> = {}): LocalAwsConfig {
  const region = arns.trustAnchor.split(':')[3];
  return {
    region,
    trustAnchors: [{ arn: arns.trustAnchor, caCertificates: [new X509Certificate(readFileSync(pkiFile('root-ca.pem')))] }],
    profiles: [{ arn: arns.profile, roleArns: [arns.role], durationSeconds: 3600 }],
    roles: [{ arn: arns.role, trustsRolesAnywhere: true }],
    ...extra,
  };
}
