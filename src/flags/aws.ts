/*
 * The AWS flags every command that needs the Roles Anywhere ARNs takes: the three ARNs, the
 * stack outputs that supply the ones not given, and the region; and their one mapping to ArnInput.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import type { ArnInput } from '../shared/aws/arnResolver.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'flags.aws');
const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

export const arnFlags = {
  'trust-anchor-arn': Flags.string({ summary: summary('trust-anchor-arn'), helpGroup: 'AWS' }),
  'profile-arn': Flags.string({ summary: summary('profile-arn'), helpGroup: 'AWS' }),
  'role-arn': Flags.string({ summary: summary('role-arn'), helpGroup: 'AWS' }),
  // No `exists`: the resolver's StackOutputsUnreadable names the file and the fix (one message for every command).
  'stack-outputs': Flags.file({ summary: summary('stack-outputs'), helpGroup: 'AWS' }),
  region: Flags.string({
    summary: summary('region'),
    description: messages.getMessage('flags.region.description'),
    helpGroup: 'AWS',
  }),
};

export type ParsedArnFlags = {
  'trust-anchor-arn'?: string;
  'profile-arn'?: string;
  'role-arn'?: string;
  'stack-outputs'?: string;
};

export function arnInputFromFlags(flags: ParsedArnFlags): ArnInput {
  return {
    trustAnchorArn: flags['trust-anchor-arn'],
    profileArn: flags['profile-arn'],
    roleArn: flags['role-arn'],
    stackOutputsFile: flags['stack-outputs'],
  };
}
