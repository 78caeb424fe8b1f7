/*
 * The AWS flags every command that needs the Roles Anywhere ARNs takes: the three ARNs, the
 * stack outputs (a file, or the stack itself read with the user's AWS credentials) that supply the
 * ones not given, and the region; and their one mapping to ArnInput. Also the profile and region
 * flags of every command that calls AWS's control plane.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import type { AwsAccess } from '../shared/aws/access.js';
import { type ArnInput, checkArnSources } from '../shared/aws/arnResolver.js';
import { withDescriptions } from './describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'flags.aws');
const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

/** Who calls AWS's control plane, and where (src/shared/aws/access.ts). */
export const awsAccessFlags = withDescriptions(messages, {
  'aws-profile': Flags.string({ summary: summary('aws-profile'), helpGroup: 'AWS' }),
  'aws-region': Flags.string({
    summary: summary('aws-region'),
    description: messages.getMessage('flags.aws-region.description'),
    helpGroup: 'AWS',
  }),
});

export type ParsedAwsAccessFlags = { 'aws-profile'?: string; 'aws-region'?: string };

export function awsAccessFromFlags(flags: ParsedAwsAccessFlags): AwsAccess {
  return { profile: flags['aws-profile'], region: flags['aws-region'] };
}

export const arnFlags = withDescriptions(messages, {
  'trust-anchor-arn': Flags.string({ summary: summary('trust-anchor-arn'), helpGroup: 'AWS' }),
  'profile-arn': Flags.string({ summary: summary('profile-arn'), helpGroup: 'AWS' }),
  'role-arn': Flags.string({ summary: summary('role-arn'), helpGroup: 'AWS' }),
  // No `exists`: the resolver's StackOutputsUnreadable names the file and the fix (one message for every command).
  'stack-outputs': Flags.file({ summary: summary('stack-outputs'), helpGroup: 'AWS' }),
  'stack-name': Flags.string({ summary: summary('stack-name'), exclusive: ['stack-outputs'], helpGroup: 'AWS' }),
  ...awsAccessFlags,
  region: Flags.string({
    summary: summary('region'),
    description: messages.getMessage('flags.region.description'),
    helpGroup: 'AWS',
  }),
});

export type ParsedArnFlags = ParsedAwsAccessFlags & {
  'stack-name'?: string;
  'trust-anchor-arn'?: string;
  'profile-arn'?: string;
  'role-arn'?: string;
  'stack-outputs'?: string;
};

/**
 * A flag-level check, right after parse in every command that needs the ARNs: without all three ARN flags
 * and without a stack to supply the rest it is refused before logging in or any org or AWS request.
 */
export function requireArnSources(flags: ParsedArnFlags): void {
  checkArnSources(arnInputFromFlags(flags));
}

export function arnInputFromFlags(flags: ParsedArnFlags): ArnInput {
  return {
    trustAnchorArn: flags['trust-anchor-arn'],
    profileArn: flags['profile-arn'],
    roleArn: flags['role-arn'],
    stackOutputsFile: flags['stack-outputs'],
    stackName: flags['stack-name'],
    aws: awsAccessFromFlags(flags),
  };
}
