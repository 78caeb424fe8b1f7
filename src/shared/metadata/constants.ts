/*
 * Every fixed value of the generated Roles Anywhere metadata, in one place. Values marked
 * [inferred] are NOT confirmed by Salesforce documentation or a retrieved org; each points at the
 * open question in docs/salesforce-metadata.md §15. Once a live org settles one,
 * edit it here and regenerate force-app/ (the bundled-example test shows the diff).
 */
import type { ExternalCredentialParamType } from '@salesforce/types/metadata';
import { DEFAULT_DURATION_SECONDS, MAX_DURATION_SECONDS, MIN_DURATION_SECONDS } from '../rolesanywhere/constants.js';

/** Metadata API version that has principal access and calloutStatus (59) plus margin; docs/salesforce-metadata.md §2. */
export const MIN_SOURCE_API_VERSION = 60;

/** [doc] docs/salesforce-metadata.md §3: the protocol is spelled AwsSv4 (never AwsSig4). */
export const AUTHENTICATION_PROTOCOL = 'AwsSv4' as const;

/**
 * [inferred] §15 "Metadata accepts AuthProtocolVariant AwsSv4 = RolesAnywhere?". The Connect API calls
 * the variant `RolesAnywhere` (CX-CRED, CX-EC); the documented STS form is `AwsSv4_STS`. No public
 * Roles Anywhere XML was found.
 */
export const AUTH_PROTOCOL_VARIANT = { parameterName: 'AwsSv4', parameterValue: 'RolesAnywhere' } as const;

/**
 * [inferred] §15 "AwsStsDuration as AuthParameter (CX-ECP) or AuthProviderUrlQueryParameter (CX-EC STS
 * example)?". CX-ECP lists it among the AuthParameter names for STS and Roles Anywhere.
 */
export const STS_DURATION_PARAMETER_TYPE: ExternalCredentialParamType = 'AuthParameter';

/**
 * [inferred] §15 "SigningCertificate: also parameterValue?". Metadata has a `certificate` child; Connect
 * puts the name in parameterValue. When true, the name goes in both.
 */
export const SIGNING_CERTIFICATE_ALSO_IN_PARAMETER_VALUE = false;

/**
 * [inferred] §15 "Named-credential ClientCertificate: needed, neutral, harmful?". The guide's UI flow
 * sets the client certificate on the named credential, so it is emitted.
 */
export const NAMED_CREDENTIAL_CLIENT_CERTIFICATE = true;

/**
 * [inferred] §15 "Is an AwsStsPrincipal entry required?". Not emitted; set true to add a
 * value-less AwsStsPrincipal parameter named below.
 */
export const EMIT_AWS_STS_PRINCIPAL = false;
export const AWS_STS_PRINCIPAL_PARAMETER_NAME = 'AwsStsPrincipal';

/**
 * The [inferred] choices above as one value, so a caller can try an alternative shape without an
 * edit (e.g. `iamra deploy` retrying a checkOnly deploy) and tests can cover each branch.
 */
export type InferredShape = {
  variantValue: string;
  stsDurationParameterType: ExternalCredentialParamType;
  signingCertificateInParameterValue: boolean;
  namedCredentialClientCertificate: boolean;
  awsStsPrincipal: boolean;
};

export const INFERRED_SHAPE: Readonly<InferredShape> = {
  variantValue: AUTH_PROTOCOL_VARIANT.parameterValue,
  stsDurationParameterType: STS_DURATION_PARAMETER_TYPE,
  signingCertificateInParameterValue: SIGNING_CERTIFICATE_ALSO_IN_PARAMETER_VALUE,
  namedCredentialClientCertificate: NAMED_CREDENTIAL_CLIENT_CERTIFICATE,
  awsStsPrincipal: EMIT_AWS_STS_PRINCIPAL,
};

/** [seen] retrieved files use these free-form parameter names; docs/salesforce-metadata.md §4. */
export const NAMED_CREDENTIAL_PARAMETER_NAMES = {
  url: 'Url',
  authentication: 'ExternalCredential',
  clientCertificate: 'ClientCertificate',
  allowedNamespaces: 'AllowedManagedPackageNamespaces',
} as const;

/** The AWS Partner CRM Connector's managed-package namespace, allowed to call the named credential. */
export const CONNECTOR_NAMESPACE = 'awsapn';

/** [doc] Sequence number of the single named principal (orders principals). */
export const PRINCIPAL_SEQUENCE_NUMBER = 1;

/** The two stages: STS for the validation smoke test (GetCallerIdentity), S3 for the connector's work. */
export const SERVICES = ['sts', 's3'] as const;
export type Service = (typeof SERVICES)[number];

/** The connector's integration bucket lives in us-west-2; the guide says other regions fail. */
export const CONNECTOR_REGION = 'us-west-2';

/** [doc] The session duration limits Salesforce passes on to Roles Anywhere, in seconds; the guide's default is one hour. */
export const STS_DURATION = { min: MIN_DURATION_SECONDS, max: MAX_DURATION_SECONDS, default: DEFAULT_DURATION_SECONDS } as const;

/** Defaults from the guide (step 3-D/3-F); each is overridable by flag. */
export const DEFAULT_NAMES = {
  externalCredential: 'AWS_IAM_Anywhere_Credential',
  principal: 'IAMAW_Principal',
  /** The connector's Apex calls callout:APN_API_Connection, so this name must not change in practice. */
  namedCredential: 'APN_API_Connection',
  /** The imported keystore's alias, lower-cased by Salesforce. */
  signingCertificate: 'iamra',
  /** A dedicated permission set holding only the principal access (forcedotcom/cli#1781). */
  permissionSet: 'APN_Roles_Anywhere_Access',
  /** Throwaway self-signed certificate that enables the Identity Provider (step 3-A/3-B). */
  identityProviderCertificate: 'iamra_identity_provider',
} as const;

/** Labels for the default names, as the guide spells them; other names get a label derived from the name. */
export const DEFAULT_LABELS: Record<string, string> = {
  [DEFAULT_NAMES.externalCredential]: 'AWS IAM Anywhere Credential',
  [DEFAULT_NAMES.namedCredential]: 'APN API Connection',
  [DEFAULT_NAMES.permissionSet]: 'APN Roles Anywhere Access',
  [DEFAULT_NAMES.identityProviderCertificate]: 'IAMRA Identity Provider',
};

/**
 * Marks the files this command wrote, so a rerun may replace them and anything else is left alone
 * without --force. Carried in `description` where the type has one, otherwise in an XML comment.
 */
export const GENERATED_MARKER = 'Generated by sf iamra metadata generate';
