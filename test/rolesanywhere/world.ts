/*
 * One configured verifying endpoint with the test PKI and the test ARNs (test/helpers/fixtures.ts),
 * shared by the command tests, and the flags of a request that succeeds.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { ARN, pki } from '../helpers/fixtures.js';
import { VerifyingEndpoint } from './endpoint/verifyingEndpoint.js';

const cert = (file: string): X509Certificate => new X509Certificate(readFileSync(pki(file)));

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
