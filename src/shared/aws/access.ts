/*
 * Who calls AWS and where: the profile (--aws-profile, else the SDK's own AWS_PROFILE / default) and
 * the region of a control-plane call. Credentials themselves are left to the SDK's default chain
 * (environment, shared config and credentials files, SSO, credential_process) in the adapter.
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'aws');

/** The guide's required region (the connector's), used when nothing else names one. */
export const DEFAULT_AWS_REGION = 'us-west-2';

export type AwsAccess = {
  /** --aws-profile; undefined lets the SDK use AWS_PROFILE, else `default`. */
  profile?: string;
  /** --aws-region. */
  region?: string;
  env?: NodeJS.ProcessEnv;
};

export type RegionSource = '--aws-region' | 'arn' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile' | 'default';
export type ResolvedRegion = { region: string; source: RegionSource };

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The profile name the SDK will use, for messages (`aws sso login --profile X`). */
export function profileName(access: AwsAccess): string {
  return access.profile ?? (access.env ?? process.env).AWS_PROFILE ?? 'default';
}

/**
 * Where a call goes. A resource lives in its ARN's region, so an ARN's region wins and an
 * --aws-region that names another is refused. Without an ARN: --aws-region, then AWS_REGION, then
 * AWS_DEFAULT_REGION (SDK v3 ignores it, but the AWS CLI honours it and users set it for the CLI),
 * then the profile's `region`, then us-west-2. `profileRegion` reads the shared config lazily.
 */
export async function resolveRegion(
  access: AwsAccess,
  arn: { region: string; text: string } | undefined,
  profileRegion: () => Promise<string | undefined>
): Promise<ResolvedRegion> {
  if (access.region !== undefined && !REGION.test(access.region)) {
    throw messages.createError('error.BadRegionFlag', [access.region]);
  }
  if (arn?.region) {
    if (access.region !== undefined && access.region !== arn.region) {
      throw messages.createError('error.RegionConflict', [access.region, arn.text, arn.region], [arn.region]);
    }
    return { region: arn.region, source: 'arn' };
  }
  if (access.region) return { region: access.region, source: '--aws-region' };
  const env = access.env ?? process.env;
  if (env.AWS_REGION) return { region: env.AWS_REGION, source: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' };
  const fromProfile = await profileRegion();
  if (fromProfile) return { region: fromProfile, source: 'profile' };
  return { region: DEFAULT_AWS_REGION, source: 'default' };
}
