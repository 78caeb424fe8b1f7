/*
 * What each metadata type may contain, from the Metadata API WSDL as published in @salesforce/types
 * (elements, required elements, enums) [doc]. Used to reject what a real org's XML parser rejects.
 */

export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

export type TypeSchema = {
  /** Root element name in the file. */
  root: string;
  elements: string[];
  required: string[];
  /** Elements whose values come from a WSDL enum: element -> [enum name, allowed values]. */
  enums?: Record<string, [string, string[]]>;
  /** Repeated complex children: element -> their own schema. */
  children?: Record<string, Omit<TypeSchema, 'root'>>;
  /** Elements that need at least this API version (package.xml <version>). */
  minApi?: Record<string, number>;
  /** Elements removed at this API version. */
  removedAt?: Record<string, number>;
  /** The API version the type itself appeared in. */
  since?: number;
};

const AUTHENTICATION_PROTOCOL = ['NoAuthentication', 'Oauth', 'Password', 'AwsSv4', 'Jwt', 'JwtExchange', 'Custom', 'Basic'];
const EXTERNAL_CREDENTIAL_PARAM_TYPE = [
  'ExternalAuthIdentityProvider', 'AuthProvider', 'AuthProviderUrl', 'AuthProviderUrlQueryParameter', 'SigningCertificate',
  'AuthParameter', 'NamedPrincipal', 'PerUserPrincipal', 'AwsStsPrincipal', 'GlobalNamedPrincipal', 'SystemUserPrincipal',
  'CustomPrincipal', 'PrincipalIdentityAlias', 'AuthHeader', 'AuthProtocolVariant', 'JwtBodyClaim', 'JwtHeaderClaim',
  'CreatedByNamespace', 'AdditionalRefreshStatusCode', 'ManagedByFeature', 'ManagedByComponent', 'SfHttpRequestExtensionName',
];
const NAMED_CREDENTIAL_PARAM_TYPE = [
  'Url', 'HttpHeader', 'ClientCertificate', 'Authentication', 'OutboundNetworkConnection', 'AllowedManagedPackageNamespaces',
  'CreatedByNamespace', 'CustomParameter', 'StandardNamedCredentialType', 'ManagedByFeature', 'ManagedByComponent',
  'ConnectionStatus', 'SfHttpRequestExtensionName', 'NamedCredentialOptions', 'ManagedByNamespace',
];

/** Fields only a Legacy named credential may carry [doc] (MD-NC). */
export const LEGACY_ONLY_NAMED_CREDENTIAL_FIELDS = [
  'endpoint', 'principalType', 'protocol', 'awsAccessKey', 'awsAccessSecret', 'awsRegion', 'awsService', 'certificate',
  'username', 'password', 'authProvider', 'authTokenEndpointUrl', 'jwtAudience', 'jwtFormulaSubject', 'jwtIssuer',
  'jwtSigningCertificate', 'jwtTextSubject', 'jwtValidityPeriodSeconds', 'oauthRefreshToken', 'oauthScope', 'oauthToken',
];

export const SCHEMAS: Record<string, TypeSchema> = {
  ExternalCredential: {
    root: 'ExternalCredential',
    elements: ['fullName', 'authenticationProtocol', 'description', 'externalCredentialParameters', 'label', 'principal'],
    required: ['authenticationProtocol', 'label'],
    enums: { authenticationProtocol: ['AuthenticationProtocol', AUTHENTICATION_PROTOCOL] },
    // `principal` was removed in API 58 [doc] (docs/salesforce-metadata.md §3).
    removedAt: { principal: 58 },
    // [doc] ExternalCredential exists from API 56 (docs/salesforce-metadata.md §3).
    since: 56,
    children: {
      externalCredentialParameters: {
        elements: ['authProvider', 'certificate', 'description', 'externalAuthIdentityProvider', 'parameterGroup', 'parameterName', 'parameterType', 'parameterValue', 'sequenceNumber'],
        required: ['parameterName', 'parameterType'],
        enums: { parameterType: ['ExternalCredentialParamType', EXTERNAL_CREDENTIAL_PARAM_TYPE] },
      },
    },
  },
  NamedCredential: {
    root: 'NamedCredential',
    elements: [
      'fullName', 'allowMergeFieldsInBody', 'allowMergeFieldsInHeader', 'calloutStatus', 'description',
      'generateAuthorizationHeader', 'label', 'namedCredentialParameters', 'namedCredentialType', 'outboundNetworkConnection',
      ...LEGACY_ONLY_NAMED_CREDENTIAL_FIELDS,
    ],
    required: ['label'],
    enums: {
      namedCredentialType: ['NamedCredentialType', ['Legacy', 'SecuredEndpoint', 'PrivateEndpoint', 'Standard']],
      calloutStatus: ['CalloutStatus', ['Enabled', 'Disabled']],
      allowMergeFieldsInBody: ['boolean', ['true', 'false']],
      allowMergeFieldsInHeader: ['boolean', ['true', 'false']],
      generateAuthorizationHeader: ['boolean', ['true', 'false']],
    },
    // calloutStatus needs API 59 [doc] (docs/salesforce-metadata.md §2, §4).
    minApi: { calloutStatus: 59 },
    children: {
      namedCredentialParameters: {
        elements: ['certificate', 'description', 'externalCredential', 'globalNamedPrincipalCredential', 'managedFeatureEnabledCallout', 'outboundNetworkConnection', 'parameterName', 'parameterType', 'parameterValue', 'readOnlyNamedCredential', 'sequenceNumber', 'systemUserNamedCredential'],
        required: ['parameterName', 'parameterType'],
        enums: { parameterType: ['NamedCredentialParamType', NAMED_CREDENTIAL_PARAM_TYPE] },
      },
    },
  },
  PermissionSet: {
    root: 'PermissionSet',
    elements: [
      'fullName', 'agentAccesses', 'applicationVisibilities', 'classAccesses', 'customMetadataTypeAccesses', 'customPermissions',
      'customSettingAccesses', 'description', 'emailRoutingAddressAccesses', 'enrichments', 'externalCredentialPrincipalAccesses',
      'externalDataSourceAccesses', 'fieldPermissions', 'flowAccesses', 'genComputingSummaryDefAccesses', 'hasActivationRequired',
      'label', 'license', 'objectPermissions', 'pageAccesses', 'recordTypeVisibilities', 'servicePresenceStatusAccesses',
      'tabSettings', 'userPermissions',
    ],
    required: ['label'],
    // externalCredentialPrincipalAccesses needs API 59 [doc] (docs/salesforce-metadata.md §2, §5).
    minApi: { externalCredentialPrincipalAccesses: 59 },
    children: {
      externalCredentialPrincipalAccesses: {
        elements: ['enabled', 'externalCredentialPrincipal'],
        required: ['enabled', 'externalCredentialPrincipal'],
        enums: { enabled: ['boolean', ['true', 'false']] },
      },
    },
  },
  Certificate: {
    root: 'Certificate',
    elements: ['fullName', 'caSigned', 'encryptedWithPlatformEncryption', 'expirationDate', 'keySize', 'masterLabel', 'privateKeyExportable'],
    required: ['caSigned', 'masterLabel'],
    enums: {
      caSigned: ['boolean', ['true', 'false']],
      privateKeyExportable: ['boolean', ['true', 'false']],
      keySize: ['int', ['2048', '4096']],
    },
  },
  IdentityProviderSettings: {
    root: 'IdentityProviderSettings',
    elements: ['fullName', 'certificateName', 'enableIdentityProvider'],
    required: ['certificateName', 'enableIdentityProvider'],
    enums: { enableIdentityProvider: ['boolean', ['true', 'false']] },
    minApi: { certificateName: 57 },
  },
};

/** Metadata-format folder -> [type, file suffix]. Types outside this list deploy without checks. */
export const FOLDERS: Record<string, [string, string]> = {
  externalCredentials: ['ExternalCredential', '.externalCredential'],
  namedCredentials: ['NamedCredential', '.namedCredential'],
  permissionsets: ['PermissionSet', '.permissionset'],
  certs: ['Certificate', '.crt'],
  settings: ['Settings', '.settings'],
};
