/*
 * The flags of the commands that deploy to an org: the org, its API version and how long to wait
 * (every deploying command), plus the production test level and who else gets the permission set
 * (the commands that deploy the credential set: deploy, configure), and how those two plan.
 */
import { Messages } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { Flags } from '@salesforce/sf-plugins-core';
import { TEST_LEVELS } from '../shared/org/constants.js';
import { withDescriptions } from './describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'flags.deploy');
const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

/** Core's target-org flag, with its summary cut to one line (core's own wraps). */
export const targetOrgFlag = Flags.requiredOrg({
  summary: summary('target-org'),
  description: messages.getMessage('flags.target-org.description'),
});

export const orgDeployFlags = {
  'target-org': targetOrgFlag,
  'api-version': Flags.orgApiVersion(),
  // -w and <minutes> as core's deploy commands
  wait: Flags.duration({ char: 'w', unit: 'minutes', defaultValue: 10, min: 1, helpValue: '<minutes>', summary: summary('wait') }),
};

export const deployFlags = withDescriptions(messages, {
  ...orgDeployFlags,
  'test-level': Flags.option({ summary: summary('test-level'), options: TEST_LEVELS })(),
  'assign-to': Flags.string({ summary: summary('assign-to'), multiple: true }),
});

/** deploy's and configure's: both read the org, plan, and change only what differs. */
export const planFlags = withDescriptions(messages, {
  'dry-run': Flags.boolean({ summary: summary('dry-run') }),
  'ignore-conflicts': Flags.boolean({ char: 'c', summary: summary('ignore-conflicts') }),
});

type PlanningFlags = {
  'assign-to'?: string[];
  'dry-run': boolean;
  'ignore-conflicts': boolean;
  wait: Duration;
  'test-level'?: string;
};

/** The request fields deploy and configure take from deployFlags and planFlags alike. */
export function planOptionsFromFlags(flags: PlanningFlags): {
  assignTo?: string[];
  dryRun: boolean;
  ignoreConflicts: boolean;
  wait: Duration;
  testLevel?: string;
} {
  return {
    assignTo: flags['assign-to'],
    dryRun: flags['dry-run'],
    ignoreConflicts: flags['ignore-conflicts'],
    wait: flags.wait,
    testLevel: flags['test-level'],
  };
}
