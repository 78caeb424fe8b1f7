/*
 * Pure builder: a typed description of the Roles Anywhere credential set in, the source-format
 * files out. Typed against @salesforce/types/metadata so a misspelt field fails to compile.
 */
import type {
  Certificate,
  ExternalCredential,
  ExternalCredentialParameter,
  IdentityProviderSettings,
  NamedCredential,
  NamedCredentialParameter,
  PermissionSet,
} from '@salesforce/types/metadata';
import { Messages } from '@salesforce/core';
import {
  AUTH_PROTOCOL_VARIANT,
  AUTHENTICATION_PROTOCOL,
  AWS_STS_PRINCIPAL_PARAMETER_NAME,
  CONNECTOR_NAMESPACE,
  INFERRED_SHAPE,
  type InferredShape,
  NAMED_CREDENTIAL_PARAMETER_NAMES,
  PRINCIPAL_SEQUENCE_NUMBER,
  type Service,
} from './constants.js';
import { toMetadataXml, type XmlBody } from './xml.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'metadata');

export type CredentialSetNames = {
  externalCredential: string;
  externalCredentialLabel: string;
  principal: string;
  namedCredential: string;
  namedCredentialLabel: string;
  /** DeveloperName of the imported keystore's certificate (the lower-cased alias). */
  signingCertificate: string;
  permissionSet: string;
  permissionSetLabel: string;
};

export type IdentityProviderSpec = {
  /** DeveloperName of the throwaway self-signed certificate. */
  certificate: string;
  certificateLabel: string;
  /** PEM of the .crt template; the org makes its own key pair for it. */
  certificatePem: string;
};

export type CredentialSetSpec = {
  service: Service;
  /** AWS partition of the ARNs; decides the endpoint domain. */
  partition: string;
  region: string;
  accountId: string;
  trustAnchorArn: string;
  profileArn: string;
  stsDurationSeconds: number;
  names: CredentialSetNames;
  identityProvider?: IdentityProviderSpec;
  /** Overrides of the [inferred] details (constants.ts INFERRED_SHAPE); normally left out. */
  shape?: Partial<InferredShape>;
};

/** One source-format file, its path relative to the package directory (always with `/`). */
export type MetadataFile = {
  /** Metadata type as in package.xml (`Settings` for IdentityProviderSettings). */
  type: string;
  fullName: string;
  relativePath: string;
  content: string;
};

/** The metadata type each component resolves to, for callers and tests. */
export const METADATA_TYPES = {
  externalCredential: 'ExternalCredential',
  namedCredential: 'NamedCredential',
  permissionSet: 'PermissionSet',
  certificate: 'Certificate',
  settings: 'Settings',
} as const;

/** The endpoint the named credential points at for a service. */
export function serviceEndpoint(service: Service, region: string, partition = 'aws'): string {
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${service}.${region}.${domain}`;
}

/** `<ExternalCredential>-<Principal>`, the permission-set principal-access reference (docs/salesforce-metadata.md §5). */
export function principalAccessName(names: Pick<CredentialSetNames, 'externalCredential' | 'principal'>): string {
  return `${names.externalCredential}-${names.principal}`;
}

/** All files of the set, in a stable order: credential, named credential, permission set, then identity provider. */
export function buildCredentialSet(spec: CredentialSetSpec): MetadataFile[] {
  const { names } = spec;
  const files: MetadataFile[] = [
    {
      type: METADATA_TYPES.externalCredential,
      fullName: names.externalCredential,
      relativePath: `externalCredentials/${names.externalCredential}.externalCredential-meta.xml`,
      content: toMetadataXml('ExternalCredential', asBody(externalCredential(spec))),
    },
    {
      type: METADATA_TYPES.namedCredential,
      fullName: names.namedCredential,
      relativePath: `namedCredentials/${names.namedCredential}.namedCredential-meta.xml`,
      content: toMetadataXml('NamedCredential', asBody(namedCredential(spec))),
    },
    {
      type: METADATA_TYPES.permissionSet,
      fullName: names.permissionSet,
      relativePath: `permissionsets/${names.permissionSet}.permissionset-meta.xml`,
      content: toMetadataXml('PermissionSet', asBody(permissionSet(names))),
    },
  ];
  if (spec.identityProvider) files.push(...identityProviderFiles(spec.identityProvider));
  return files;
}

function externalCredential(spec: CredentialSetSpec): ExternalCredential {
  const shape = { ...INFERRED_SHAPE, ...spec.shape };
  const authParameter = (parameterName: string, parameterValue: string): ExternalCredentialParameter => ({
    parameterName,
    parameterType: 'AuthParameter',
    parameterValue,
  });
  const { names } = spec;
  const parameters: ExternalCredentialParameter[] = [
    {
      parameterName: AUTH_PROTOCOL_VARIANT.parameterName,
      parameterType: 'AuthProtocolVariant',
      parameterValue: shape.variantValue,
    },
    authParameter('AwsService', spec.service),
    authParameter('AwsRegion', spec.region),
    authParameter('AwsAccountId', spec.accountId),
    authParameter('AwsTrustAnchorArn', spec.trustAnchorArn),
    authParameter('AwsProfileArn', spec.profileArn),
    {
      parameterName: 'AwsStsDuration',
      parameterType: shape.stsDurationParameterType,
      parameterValue: String(spec.stsDurationSeconds),
    },
    {
      certificate: names.signingCertificate,
      parameterName: 'SigningCertificate',
      parameterType: 'SigningCertificate',
      parameterValue: shape.signingCertificateInParameterValue ? names.signingCertificate : undefined,
    },
    {
      parameterGroup: names.principal,
      parameterName: names.principal,
      parameterType: 'NamedPrincipal',
      sequenceNumber: PRINCIPAL_SEQUENCE_NUMBER,
    },
  ];
  if (shape.awsStsPrincipal) {
    parameters.push({ parameterName: AWS_STS_PRINCIPAL_PARAMETER_NAME, parameterType: 'AwsStsPrincipal' });
  }
  return {
    authenticationProtocol: AUTHENTICATION_PROTOCOL,
    description: messages.getMessage('description.externalCredential'),
    externalCredentialParameters: parameters,
    label: names.externalCredentialLabel,
  };
}

function namedCredential(spec: CredentialSetSpec): NamedCredential {
  const { names } = spec;
  const shape = { ...INFERRED_SHAPE, ...spec.shape };
  const parameters: NamedCredentialParameter[] = [
    {
      parameterName: NAMED_CREDENTIAL_PARAMETER_NAMES.url,
      parameterType: 'Url',
      parameterValue: serviceEndpoint(spec.service, spec.region, spec.partition),
    },
    {
      externalCredential: names.externalCredential,
      parameterName: NAMED_CREDENTIAL_PARAMETER_NAMES.authentication,
      parameterType: 'Authentication',
    },
  ];
  if (shape.namedCredentialClientCertificate) {
    parameters.push({
      certificate: names.signingCertificate,
      parameterName: NAMED_CREDENTIAL_PARAMETER_NAMES.clientCertificate,
      parameterType: 'ClientCertificate',
    });
  }
  parameters.push({
    parameterName: NAMED_CREDENTIAL_PARAMETER_NAMES.allowedNamespaces,
    parameterType: 'AllowedManagedPackageNamespaces',
    parameterValue: CONNECTOR_NAMESPACE,
  });
  return {
    allowMergeFieldsInBody: false,
    allowMergeFieldsInHeader: false,
    calloutStatus: 'Enabled',
    description: messages.getMessage('description.namedCredential'),
    generateAuthorizationHeader: true,
    label: names.namedCredentialLabel,
    namedCredentialParameters: parameters,
    namedCredentialType: 'SecuredEndpoint',
  };
}

/** Only the fields a dedicated principal-access permission set carries. */
type PrincipalAccessPermissionSet = Pick<
  PermissionSet,
  'description' | 'externalCredentialPrincipalAccesses' | 'hasActivationRequired' | 'label'
>;

function permissionSet(names: CredentialSetNames): PrincipalAccessPermissionSet {
  const access = principalAccessName(names);
  return {
    description: messages.getMessage('description.permissionSet'),
    externalCredentialPrincipalAccesses: [{ enabled: true, externalCredentialPrincipal: access }],
    hasActivationRequired: false,
    label: names.permissionSetLabel,
  };
}

function identityProviderFiles(idp: IdentityProviderSpec): MetadataFile[] {
  const certificate: Omit<Certificate, 'content'> = {
    caSigned: false,
    keySize: 2048,
    masterLabel: idp.certificateLabel,
    privateKeyExportable: true,
  };
  const settings: IdentityProviderSettings = { certificateName: idp.certificate, enableIdentityProvider: true };
  const comment = messages.getMessage('comment.generated');
  return [
    {
      type: METADATA_TYPES.certificate,
      fullName: idp.certificate,
      relativePath: `certs/${idp.certificate}.crt`,
      content: idp.certificatePem,
    },
    {
      type: METADATA_TYPES.certificate,
      fullName: idp.certificate,
      relativePath: `certs/${idp.certificate}.crt-meta.xml`,
      content: toMetadataXml('Certificate', asBody(certificate), comment),
    },
    {
      type: METADATA_TYPES.settings,
      fullName: 'IdentityProvider',
      relativePath: 'settings/IdentityProvider.settings-meta.xml',
      content: toMetadataXml('IdentityProviderSettings', asBody(settings), comment),
    },
  ];
}

/** The typed metadata objects hold only scalars and arrays of plain objects, i.e. valid XML bodies. */
function asBody(value: object): XmlBody {
  return value as XmlBody;
}
