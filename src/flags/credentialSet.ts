/*
 * The flags that say which Roles Anywhere set to build (ARNs, region, duration, API names), shared by
 * every command that generates or deploys it, and the one mapping from those flags to the input type.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import type { CredentialSetInput } from '../shared/metadata/inputs.js';
import { arnFlags, arnInputFromFlags, type ParsedArnFlags } from './aws.js';
import { withDescriptions } from './describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'flags.credentialSet');
const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

export const credentialSetFlags = withDescriptions(messages, {
  ...arnFlags,
  'sts-duration': Flags.integer({ summary: summary('sts-duration'), helpGroup: 'AWS' }),
  'external-credential': Flags.string({ summary: summary('external-credential'), helpGroup: 'NAMES' }),
  principal: Flags.string({ summary: summary('principal'), helpGroup: 'NAMES' }),
  'named-credential': Flags.string({ summary: summary('named-credential'), helpGroup: 'NAMES' }),
  'certificate-name': Flags.string({ summary: summary('certificate-name'), helpGroup: 'NAMES' }),
  'permission-set': Flags.string({ summary: summary('permission-set'), helpGroup: 'NAMES' }),
});

export type ParsedCredentialSetFlags = ParsedArnFlags & {
  region?: string;
  'sts-duration'?: number;
  'external-credential'?: string;
  principal?: string;
  'named-credential'?: string;
  'certificate-name'?: string;
  'permission-set'?: string;
};

export function credentialSetInputFromFlags(flags: ParsedCredentialSetFlags): Omit<CredentialSetInput, 'service'> {
  return {
    ...arnInputFromFlags(flags),
    region: flags.region,
    stsDurationSeconds: flags['sts-duration'],
    names: {
      externalCredential: flags['external-credential'],
      principal: flags.principal,
      namedCredential: flags['named-credential'],
      signingCertificate: flags['certificate-name'],
      permissionSet: flags['permission-set'],
    },
  };
}
