/*
 * The flags of the commands that deploy to an org: the org, its API version and how long to wait
 * (every deploying command), plus the production test level and who else gets the permission set
 * (the commands that deploy the credential set: deploy, configure).
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { TEST_LEVELS } from '../shared/org/constants.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'flags.deploy');
const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

export const orgDeployFlags = {
  'target-org': Flags.requiredOrg(),
  'api-version': Flags.orgApiVersion(),
  // -w and <minutes> as core's deploy commands
  wait: Flags.duration({ char: 'w', unit: 'minutes', defaultValue: 10, min: 1, helpValue: '<minutes>', summary: summary('wait') }),
};

export const deployFlags = {
  ...orgDeployFlags,
  'test-level': Flags.option({ summary: summary('test-level'), options: TEST_LEVELS })(),
  'assign-to': Flags.string({ summary: summary('assign-to'), multiple: true }),
};
