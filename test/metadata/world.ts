/* Shared inputs for the metadata tests: example ARNs, a spec, temp dirs, an in-process runner. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import type { CredentialSetSpec } from '../../src/shared/metadata/builder.js';
import { labelFor } from '../../src/shared/metadata/inputs.js';
import { DEFAULT_NAMES } from '../../src/shared/metadata/constants.js';
import { projectRoot } from '../helpers/sfCli.js';

export { readTree } from '../helpers/tree.js';

export const EXAMPLE_STACK_OUTPUTS = join(projectRoot, 'config', 'example-stack-outputs.json');
export const BUNDLED_EXAMPLE = join(projectRoot, 'force-app', 'main', 'default');

export const ARN = {
  anchor: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a',
  profile: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/6f1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f',
  role: 'arn:aws:iam::123456789012:role/APNPartnerCRMConnectorRole',
};

export const ARN_ARGS = ['--trust-anchor-arn', ARN.anchor, '--profile-arn', ARN.profile, '--role-arn', ARN.role];

export function tempDir(prefix = 'iamra-metadata-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function exampleSpec(overrides: Partial<CredentialSetSpec> = {}): CredentialSetSpec {
  return {
    service: 'sts',
    partition: 'aws',
    region: 'us-west-2',
    accountId: '123456789012',
    trustAnchorArn: ARN.anchor,
    profileArn: ARN.profile,
    stsDurationSeconds: 3600,
    names: {
      externalCredential: DEFAULT_NAMES.externalCredential,
      externalCredentialLabel: labelFor(DEFAULT_NAMES.externalCredential),
      principal: DEFAULT_NAMES.principal,
      namedCredential: DEFAULT_NAMES.namedCredential,
      namedCredentialLabel: labelFor(DEFAULT_NAMES.namedCredential),
      signingCertificate: DEFAULT_NAMES.signingCertificate,
      permissionSet: DEFAULT_NAMES.permissionSet,
      permissionSetLabel: labelFor(DEFAULT_NAMES.permissionSet),
    },
    ...overrides,
  };
}

/** The SfError `fn` throws; fails the test when it throws nothing or something else. */
export function sfErrorOf(fn: () => unknown): SfError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(SfError);
    return error as SfError;
  }
  expect.fail('expected an SfError');
}
