/*
 * The flags that say which Roles Anywhere set to build (ARNs, region, duration, API names), shared by
 * every command that generates or deploys it, and the one mapping from those flags to the input type.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { awsAccessFromFlags, stackNameFlags, type ParsedAwsAccessFlags } from '../../flags/aws.js';
import type { CredentialSetInput } from './inputs.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'credentialSetFlags');
const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

export const credentialSetFlags = {
  'trust-anchor-arn': Flags.string({ summary: summary('trust-anchor-arn'), helpGroup: 'AWS' }),
  'profile-arn': Flags.string({ summary: summary('profile-arn'), helpGroup: 'AWS' }),
  'role-arn': Flags.string({ summary: summary('role-arn'), helpGroup: 'AWS' }),
  'stack-outputs': Flags.file({ summary: summary('stack-outputs'), helpGroup: 'AWS' }),
  ...stackNameFlags,
  region: Flags.string({
    summary: summary('region'),
    description: messages.getMessage('flags.region.description'),
    helpGroup: 'AWS',
  }),
  'sts-duration': Flags.integer({ summary: summary('sts-duration'), helpGroup: 'AWS' }),
  'external-credential': Flags.string({ summary: summary('external-credential'), helpGroup: 'NAMES' }),
  principal: Flags.string({ summary: summary('principal'), helpGroup: 'NAMES' }),
  'named-credential': Flags.string({ summary: summary('named-credential'), helpGroup: 'NAMES' }),
  'certificate-name': Flags.string({ summary: summary('certificate-name'), helpGroup: 'NAMES' }),
  'permission-set': Flags.string({ summary: summary('permission-set'), helpGroup: 'NAMES' }),
};

export type ParsedCredentialSetFlags = ParsedAwsAccessFlags & {
  'stack-name'?: string;
  'trust-anchor-arn'?: string;
  'profile-arn'?: string;
  'role-arn'?: string;
  'stack-outputs'?: string;
  region?: string;
  'sts-duration'?: number;
  'external-credential'?: string;
  principal?: string;
  'named-credential'?: string;
  'certificate-name'?: string;
  'permission-set'?: string;
};

export function credentialSetInputFromFlags(flags: ParsedCredentialSetFlags): Omit<CredentialSetInput, 'stage'> {
  return {
    trustAnchorArn: flags['trust-anchor-arn'],
    profileArn: flags['profile-arn'],
    roleArn: flags['role-arn'],
    stackOutputsFile: flags['stack-outputs'],
    stackName: flags['stack-name'],
    aws: awsAccessFromFlags(flags),
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
