/*
 * Turns what the user gave (flags, a stack-outputs file, name overrides) into the validated
 * CredentialSetSpec, recording where each value came from. Flags override the stack outputs.
 * Shared by `iamra metadata generate` and `iamra deploy`, so it knows nothing about oclif.
 */
import { Messages } from '@salesforce/core';
import type { RolesAnywhereArnKind } from '../aws/arn.js';
import { type ArnInput, type ArnSource, resolveArnInput, type ResolvedArns } from '../aws/arnResolver.js';
import { checkApiName, labelFromApiName } from './apiNames.js';
import type { CredentialSetNames, CredentialSetSpec } from './builder.js';
import { CONNECTOR_REGION, DEFAULT_LABELS, DEFAULT_NAMES, STS_DURATION, type Service } from './constants.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'metadata');

/** The API names a user may override; unset ones take the guide's defaults (DEFAULT_NAMES). */
export type NameOverrides = Partial<{
  externalCredential: string;
  principal: string;
  namedCredential: string;
  signingCertificate: string;
  permissionSet: string;
  identityProviderCertificate: string;
}>;

export type CredentialSetInput = ArnInput & {
  /** The ARNs already resolved from the ArnInput (configure resolves them once per run); else resolved here. */
  arns?: ResolvedArns;
  /** Explicitly confirms the ARNs' region; required when it is not us-west-2 (then a warning). */
  region?: string;
  /** Default sts. */
  service?: Service;
  /** Default 3600. */
  stsDurationSeconds?: number;
  names?: NameOverrides;
};

/** Where a resolved value came from: a flag, a stack output, or the default. */
export type InputSource =
  | ArnSource
  | { from: 'arn'; arn: 'trustAnchorArn' }
  | { from: 'default' };

export type Resolved<T> = { value: T; source: InputSource };

export type ResolvedInputs = Record<RolesAnywhereArnKind, Resolved<string>> & {
  region: Resolved<string>;
  accountId: string;
  partition: string;
  /** The service (sts or s3); the key keeps its published name. */
  stage: Resolved<Service>;
  stsDurationSeconds: Resolved<number>;
  names: Record<keyof NameOverrides, Resolved<string>>;
};

export type ResolvedCredentialSet = {
  /** Everything the builder needs except the identity-provider certificate. */
  spec: Omit<CredentialSetSpec, 'identityProvider'>;
  inputs: ResolvedInputs;
  /** Principal credential for the Connect API at deploy time; never written to metadata. */
  roleArn: string;
  warnings: string[];
};

export const NAME_FLAGS: Record<keyof NameOverrides, string> = {
  externalCredential: '--external-credential',
  principal: '--principal',
  namedCredential: '--named-credential',
  signingCertificate: '--certificate-name',
  permissionSet: '--permission-set',
  identityProviderCertificate: '--identity-provider-certificate',
};

/** Certificate DeveloperNames are capped like masterLabel (docs/salesforce-metadata.md §8). */
const CERTIFICATE_NAME_MAX = 64;

/**
 * Resolves and validates everything; throws an SfError naming the first problem (before any file
 * is touched). Reads the stack-outputs file if given; otherwise pure.
 */
export async function resolveCredentialSet(input: CredentialSetInput): Promise<ResolvedCredentialSet> {
  const arns = input.arns ?? (await resolveArnInput(input));
  const warnings: string[] = [];
  const region = resolveRegion(arns.region, input.region, warnings);
  const stsDurationSeconds = resolveStsDuration(input.stsDurationSeconds);
  const names = resolveNames(input.names ?? {});
  if (names.namedCredential.value !== DEFAULT_NAMES.namedCredential) {
    warnings.push(
      messages.getMessage('warning.NamedCredentialRenamed', [names.namedCredential.value, DEFAULT_NAMES.namedCredential])
    );
  }
  const service: Resolved<Service> = input.service
    ? { value: input.service, source: { from: 'flag', flag: '--service' } }
    : { value: 'sts', source: { from: 'default' } };
  const credentialNames: CredentialSetNames = {
    externalCredential: names.externalCredential.value,
    externalCredentialLabel: labelFor(names.externalCredential.value),
    principal: names.principal.value,
    namedCredential: names.namedCredential.value,
    namedCredentialLabel: labelFor(names.namedCredential.value),
    signingCertificate: names.signingCertificate.value,
    permissionSet: names.permissionSet.value,
    permissionSetLabel: labelFor(names.permissionSet.value),
  };
  return {
    spec: {
      service: service.value,
      partition: arns.partition,
      region: region.value,
      accountId: arns.accountId,
      trustAnchorArn: arns.trustAnchorArn.text,
      profileArn: arns.profileArn.text,
      stsDurationSeconds: stsDurationSeconds.value,
      names: credentialNames,
    },
    inputs: {
      trustAnchorArn: { value: arns.trustAnchorArn.text, source: arns.sources.trustAnchorArn },
      profileArn: { value: arns.profileArn.text, source: arns.sources.profileArn },
      roleArn: { value: arns.roleArn.text, source: arns.sources.roleArn },
      region,
      accountId: arns.accountId,
      partition: arns.partition,
      stage: service,
      stsDurationSeconds,
      names,
    },
    roleArn: arns.roleArn.text,
    warnings,
  };
}

/** The label Salesforce shows: the guide's for the default names, otherwise derived from the name. */
export function labelFor(name: string): string {
  return DEFAULT_LABELS[name] ?? labelFromApiName(name);
}

/** The connector needs us-west-2; another region only when --region explicitly confirms it. */
function resolveRegion(arnRegion: string, flagRegion: string | undefined, warnings: string[]): Resolved<string> {
  if (flagRegion === undefined) {
    if (arnRegion !== CONNECTOR_REGION) {
      throw messages.createError('error.RegionNotConnectorRegion', [arnRegion, CONNECTOR_REGION], [CONNECTOR_REGION, arnRegion]);
    }
    return { value: arnRegion, source: { from: 'arn', arn: 'trustAnchorArn' } };
  }
  if (flagRegion !== arnRegion) {
    throw messages.createError('error.RegionFlagMismatch', [flagRegion, arnRegion], [arnRegion]);
  }
  if (arnRegion !== CONNECTOR_REGION) {
    warnings.push(messages.getMessage('warning.RegionOverride', [arnRegion, CONNECTOR_REGION, CONNECTOR_REGION]));
  }
  return { value: arnRegion, source: { from: 'flag', flag: '--region' } };
}

function resolveStsDuration(seconds: number | undefined): Resolved<number> {
  if (seconds === undefined) return { value: STS_DURATION.default, source: { from: 'default' } };
  if (!Number.isInteger(seconds) || seconds < STS_DURATION.min || seconds > STS_DURATION.max) {
    throw messages.createError(
      'error.StsDurationOutOfRange',
      [seconds, STS_DURATION.min, STS_DURATION.max],
      [STS_DURATION.min, STS_DURATION.max, STS_DURATION.default]
    );
  }
  return { value: seconds, source: { from: 'flag', flag: '--sts-duration' } };
}

function resolveNames(overrides: NameOverrides): Record<keyof NameOverrides, Resolved<string>> {
  const keys = Object.keys(NAME_FLAGS) as Array<keyof NameOverrides>;
  return Object.fromEntries(
    keys.map((key) => {
      const override = overrides[key];
      if (override === undefined) return [key, { value: DEFAULT_NAMES[key], source: { from: 'default' } }];
      const max = key === 'signingCertificate' || key === 'identityProviderCertificate' ? CERTIFICATE_NAME_MAX : 80;
      return [key, { value: checkApiName(override, NAME_FLAGS[key], max), source: { from: 'flag', flag: NAME_FLAGS[key] } }];
    })
  ) as Record<keyof NameOverrides, Resolved<string>>;
}
