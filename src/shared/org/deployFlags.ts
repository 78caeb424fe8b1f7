/*
 * The flags of every command that deploys the credential set to an org (deploy, configure): the org,
 * its API version, how long to wait, the production test level and who else gets the permission set.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { TEST_LEVELS } from './constants.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'deployFlags');
const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

export const deployFlags = {
  'target-org': Flags.requiredOrg(),
  'api-version': Flags.orgApiVersion(),
  wait: Flags.duration({ unit: 'minutes', defaultValue: 10, min: 1, summary: summary('wait') }),
  'test-level': Flags.option({ summary: summary('test-level'), options: TEST_LEVELS })(),
  'assign-to': Flags.string({ summary: summary('assign-to'), multiple: true }),
};
