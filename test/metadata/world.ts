/* Shared inputs for the metadata tests: the bundled example, a credential-set spec, SfError capture. */
import { join } from 'node:path';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import type { CredentialSetSpec } from '../../src/shared/metadata/builder.js';
import { labelFor } from '../../src/shared/metadata/inputs.js';
import { DEFAULT_NAMES } from '../../src/shared/metadata/constants.js';
import { ARN } from '../helpers/fixtures.js';
import { projectRoot } from '../helpers/sfCli.js';

export const EXAMPLE_STACK_OUTPUTS = join(projectRoot, 'config', 'example-stack-outputs.json');
export const BUNDLED_EXAMPLE = join(projectRoot, 'force-app', 'main', 'default');

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
