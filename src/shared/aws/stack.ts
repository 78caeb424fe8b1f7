/*
 * --stack-name: the stack's outputs from CloudFormation DescribeStacks, in place of a describe-stacks
 * file. The ARNs are then picked from them exactly as from the file (stackOutputs.ts).
 */
import { Messages } from '@salesforce/core';
import { type AwsAccess, resolveRegion } from './access.js';
import type { AwsConnector } from './controlPlane.js';
import { profileSettings, sdkConnector } from './sdkAdapter.js';
import type { LoadedStackOutputs } from './stackOutputs.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'aws');

/** `source` names the stack and region in messages, as a file's path does for --stack-outputs. */
export type LoadedStack = LoadedStackOutputs & { name: string; region: string; status: string };

/**
 * States whose outputs are the stack's current ones. ROLLBACK_COMPLETE ends in _COMPLETE but is a
 * failed create (no resources left), and DELETE_COMPLETE a deleted stack: both refused.
 */
const USABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

/** One DescribeStacks per stack, profile and region in a run (configure reads the outputs twice). */
const loaded = new Map<string, Promise<LoadedStack>>();

export function loadStack(stackName: string, access: AwsAccess, connect?: AwsConnector): Promise<LoadedStack> {
  const key = JSON.stringify([stackName, access.profile, access.region, Boolean(connect)]);
  let stack = loaded.get(key);
  if (!stack) {
    stack = describe(stackName, access, connect ?? sdkConnector(access));
    loaded.set(key, stack);
    stack.catch(() => loaded.delete(key));
  }
  return stack;
}

async function describe(stackName: string, access: AwsAccess, connect: AwsConnector): Promise<LoadedStack> {
  const settings = profileSettings(access);
  const { region } = await resolveRegion(access, undefined, async () => (await settings()).region);
  const aws = await connect(region);
  const stack = await aws.describeStack(stackName);
  if (!USABLE.has(stack.status)) {
    throw messages.createError('error.StackNotComplete', [stack.name, region, stack.status], [stack.name]);
  }
  return { ...stack, region, source: messages.getMessage('stackSource', [stack.name, region]) };
}
