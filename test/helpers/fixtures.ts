/*
 * The test PKI (test/fixtures/pki, made by scripts/make-fixtures.sh) and the AWS ARNs tests pass:
 * one set a user would pass, plus the variants the verifying endpoint is configured with.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './sfCli.js';

export const PKI_DIR = join(projectRoot, 'test', 'fixtures', 'pki');
/** A file of the test PKI, e.g. pki('leaf-rsa2048.pem') or pki('jks', 'keytool-made.jks'). */
export const pki = (...parts: string[]): string => join(PKI_DIR, ...parts);

/** Test-only secrets of the committed fixtures (see test/fixtures/pki/README.md). */
export const PASSPHRASE = readFileSync(pki('passphrase.txt'), 'utf8').trim();
export const STOREPASS = readFileSync(pki('storepass.txt'), 'utf8').trim();

export const ACCOUNT = '123456789012';
/** The role name in ARN.role, as it appears in an assumed-role ARN. */
export const ROLE_NAME = 'APNPartnerCRMConnectorRole';

const ra = (region: string, kind: string, id: string): string => `arn:aws:rolesanywhere:${region}:${ACCOUNT}:${kind}/${id}`;

/**
 * anchor, profile and role are the bundled example's (config/example-stack-outputs.json, which
 * force-app/ was generated from); the others are situations the verifying endpoint knows.
 */
export const ARN = {
  anchor: ra('us-west-2', 'trust-anchor', '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a'),
  profile: ra('us-west-2', 'profile', '6f1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f'),
  role: `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`,
  anchorOtherCa: ra('us-west-2', 'trust-anchor', '22222222-2222-4222-8222-222222222222'),
  anchorDisabled: ra('us-west-2', 'trust-anchor', '33333333-3333-4333-8333-333333333333'),
  profileNoRoles: ra('us-west-2', 'profile', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'),
  profileUnknown: ra('us-west-2', 'profile', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc'),
  profileEast: ra('us-east-1', 'profile', 'dddddddd-dddd-4ddd-8ddd-dddddddddddd'),
  roleNoTrust: `arn:aws:iam::${ACCOUNT}:role/NoRolesAnywhereTrust`,
  roleOtherCn: `arn:aws:iam::${ACCOUNT}:role/OnlyForOtherCn`,
};

export const ARN_FLAGS = ['--trust-anchor-arn', ARN.anchor, '--profile-arn', ARN.profile, '--role-arn', ARN.role];

/** The plan rows (item:action) of `sf iamra deploy` on a fresh org with the keystore imported: everything to create. */
export const FRESH_ORG_DEPLOY_PLAN = [
  'Signing certificate:none',
  'ExternalCredential:create',
  'NamedCredential:create',
  'PermissionSet:create',
  'Principal role ARN:create',
  'Permission set assignment:create',
];
