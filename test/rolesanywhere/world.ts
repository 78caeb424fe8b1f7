/*
 * One configured verifying endpoint with the test PKI (test/fixtures/pki) and a set of ARNs per
 * situation, shared by the command tests.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { projectRoot } from '../helpers/sfCli.js';
import { VerifyingEndpoint } from './endpoint/verifyingEndpoint.js';

export const pki = (file: string): string => join(projectRoot, 'test', 'fixtures', 'pki', file);
const cert = (file: string): X509Certificate => new X509Certificate(readFileSync(pki(file)));

export const PASSPHRASE = readFileSync(pki('passphrase.txt'), 'utf8').trim();
export const STOREPASS = readFileSync(pki('storepass.txt'), 'utf8').trim();

const ACCOUNT = '123456789012';
const ra = (region: string, kind: string, id: string): string => `arn:aws:rolesanywhere:${region}:${ACCOUNT}:${kind}/${id}`;
export const ARN = {
  anchor: ra('us-west-2', 'trust-anchor', '11111111-1111-4111-8111-111111111111'),
  anchorOtherCa: ra('us-west-2', 'trust-anchor', '22222222-2222-4222-8222-222222222222'),
  anchorDisabled: ra('us-west-2', 'trust-anchor', '33333333-3333-4333-8333-333333333333'),
  profile: ra('us-west-2', 'profile', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
  profileNoRoles: ra('us-west-2', 'profile', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'),
  profileUnknown: ra('us-west-2', 'profile', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc'),
  profileEast: ra('us-east-1', 'profile', 'dddddddd-dddd-4ddd-8ddd-dddddddddddd'),
  role: `arn:aws:iam::${ACCOUNT}:role/AwsPartnerCrmConnector`,
  roleNoTrust: `arn:aws:iam::${ACCOUNT}:role/NoRolesAnywhereTrust`,
  roleOtherCn: `arn:aws:iam::${ACCOUNT}:role/OnlyForOtherCn`,
};

export function newEndpoint(): VerifyingEndpoint {
  return new VerifyingEndpoint({
    region: 'us-west-2',
    trustAnchors: [
      { arn: ARN.anchor, caCertificates: [cert('root-ca.pem')] },
      { arn: ARN.anchorOtherCa, caCertificates: [cert('other-root-ca.pem')] },
      { arn: ARN.anchorDisabled, caCertificates: [cert('root-ca.pem')], enabled: false },
    ],
    profiles: [
      { arn: ARN.profile, roleArns: [ARN.role, ARN.roleNoTrust, ARN.roleOtherCn], durationSeconds: 3600 },
      { arn: ARN.profileNoRoles, roleArns: [] },
    ],
    roles: [
      { arn: ARN.role, trustsRolesAnywhere: true },
      { arn: ARN.roleNoTrust, trustsRolesAnywhere: false },
      { arn: ARN.roleOtherCn, trustsRolesAnywhere: true, requiredSubjectCN: 'someone-else' },
    ],
  });
}

/** Flags for a request that succeeds, before a row changes one thing. */
export function goodArgs(endpoint: VerifyingEndpoint): string[] {
  return [
    '--certificate', pki('leaf-rsa2048.pem'),
    '--private-key', pki('leaf-rsa2048.key.pem'),
    '--intermediates', pki('chain.pem'),
    '--trust-anchor-arn', ARN.anchor,
    '--profile-arn', ARN.profile,
    '--role-arn', ARN.role,
    '--endpoint', endpoint.url,
  ];
}

/** Replaces the value after `flag` (or appends flag + value). */
export function withFlag(args: string[], flag: string, value?: string): string[] {
  const i = args.indexOf(flag);
  if (i < 0) return value === undefined ? [...args, flag] : [...args, flag, value];
  const copy = [...args];
  if (value !== undefined) copy[i + 1] = value;
  return copy;
}

export function withoutFlag(args: string[], flag: string): string[] {
  const i = args.indexOf(flag);
  return i < 0 ? args : [...args.slice(0, i), ...args.slice(i + 2)];
}
