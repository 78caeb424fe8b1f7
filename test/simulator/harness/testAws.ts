/*
 * Test data for the callout chain: the keytool-made keystore of test/fixtures/pki (the 2048-bit leaf
 * under the test intermediate and root CA), and an AWS account whose Roles Anywhere trust anchor trusts
 * that root, whose profile allows the role, and whose role trusts Roles Anywhere.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { LocalAwsConfig } from '../../aws/localAws.js';
import { pki, STOREPASS } from '../../helpers/fixtures.js';
import type { OrgState } from '../org/state.js';

/** A keystore an admin would upload: bytes and store password (= key password), alias `iamra`. */
export const TEST_KEYSTORE = {
  bytes: (): Buffer => readFileSync(pki('jks', 'keytool-good.jks')),
  password: STOREPASS,
};

/** What an admin does before the plugin runs: enable the Identity Provider, then import the keystore. */
export function importTestKeystore(state: OrgState): void {
  state.identityProvider = { ...state.identityProvider, enabled: true };
  state.importKeystore(TEST_KEYSTORE.bytes(), TEST_KEYSTORE.password);
}

/** The shape of test/helpers/fixtures.ts ARN (extra keys ignored). */
export type TestArns = { anchor: string; profile: string; role: string };

/** One trust anchor (test root CA), one profile allowing the role, the role trusting Roles Anywhere. */
export function testAwsAccount(arns: TestArns, extra: Partial<LocalAwsConfig> = {}): LocalAwsConfig {
  const region = arns.anchor.split(':')[3];
  return {
    region,
    trustAnchors: [{ arn: arns.anchor, caCertificates: [new X509Certificate(readFileSync(pki('root-ca.pem')))] }],
    profiles: [{ arn: arns.profile, roleArns: [arns.role], durationSeconds: 3600 }],
    roles: [{ arn: arns.role, trustsRolesAnywhere: true }],
    ...extra,
  };
}
