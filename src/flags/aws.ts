/*
 * The flags that reach AWS's control plane with the user's own credentials: which stack, which
 * profile, which region. One definition, spread into every command that takes them.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import type { AwsAccess } from '../shared/aws/access.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'aws');
const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

export const awsAccessFlags = {
  'aws-profile': Flags.string({ summary: summary('aws-profile'), helpGroup: 'AWS' }),
  'aws-region': Flags.string({
    summary: summary('aws-region'),
    description: messages.getMessage('flags.aws-region.description'),
    helpGroup: 'AWS',
  }),
};

/** --stack-name beside --stack-outputs: one or the other. */
export const stackNameFlags = {
  'stack-name': Flags.string({ summary: summary('stack-name'), exclusive: ['stack-outputs'], helpGroup: 'AWS' }),
  ...awsAccessFlags,
};

export type ParsedAwsAccessFlags = { 'aws-profile'?: string; 'aws-region'?: string };

export function awsAccessFromFlags(flags: ParsedAwsAccessFlags): AwsAccess {
  return { profile: flags['aws-profile'], region: flags['aws-region'] };
}
