import type { CertificateRecord } from '../org/state.js';

/*
 * EVERY [inferred] rule and message of the simulator lives here, so one edit fixes it once a live org
 * confirms or refutes it (docs/salesforce-metadata.md §15, open questions).
 * Rules tagged [doc]/[seen] in docs/salesforce-metadata.md are in rules.ts; the wording of most Salesforce messages
 * below follows the platform's usual patterns but was not captured from a live org unless marked [seen].
 */

/**
 * [inferred] Values the org accepts for the `AuthProtocolVariant` parameter of an AwsSv4 credential.
 * `AwsSv4_STS` is documented; `RolesAnywhere` is the Connect API's name for the variant (CX-CRED) and
 * docs/salesforce-metadata.md §3's skeleton assumes metadata takes it too (open question §15).
 */
export const AWS_VARIANTS = ['AwsSv4_STS', 'RolesAnywhere'];

/** [inferred] AuthParameter names the Roles Anywhere variant cannot work without (AwsAccountId is optional [doc]). */
export const ROLES_ANYWHERE_REQUIRED_AUTH_PARAMETERS = ['AwsService', 'AwsRegion', 'AwsTrustAnchorArn', 'AwsProfileArn'];

/**
 * [inferred] Parameter types an AwsSv4 credential must declare, per variant. The message wording is [seen]
 * ("The authentication protocol X requires the following external credential parameter types: …"); which
 * types Roles Anywhere requires is not (whether `AwsStsPrincipal` is needed is open, §15: not required here).
 */
export const REQUIRED_PARAMETER_TYPES: Record<string, string[]> = {
  RolesAnywhere: ['AuthProtocolVariant', 'AuthParameter', 'SigningCertificate', 'NamedPrincipal'],
  // eslint-disable-next-line camelcase
  AwsSv4_STS: ['AuthProtocolVariant', 'AuthParameter', 'NamedPrincipal'],
  default: ['AuthParameter', 'NamedPrincipal'],
};


/** [inferred] Label caps for the credential types (Certificate masterLabel 64 is [doc]; the others follow the usual 80). */
export const LABEL_MAX = { ExternalCredential: 80, NamedCredential: 80, PermissionSet: 80 } as Record<string, number>;

/** [inferred] AuthParameter names that belong to one variant only (the names and their variants are [doc], CX-ECP). */
export const VARIANT_ONLY_AUTH_PARAMETERS: Record<string, string> = {
  AwsTrustAnchorArn: 'RolesAnywhere',
  AwsProfileArn: 'RolesAnywhere',
  AwsStsExternalId: 'AwsSv4_STS',
};

export const inferredMessages = {
  /** [inferred] wording; the DeveloperName rules are [doc]. */
  badDeveloperName: (name: string): string =>
    `The name ${name} can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.`,
  /** [inferred] wording of a too-long value (the Certificate form is the platform's usual one). */
  labelTooLong: (field: string, value: string, max: number): string => `${field}: data value too large: ${value} (max length=${max})`,
  /** [inferred] sequenceNumber orders principals; on any other parameter it is refused. */
  sequenceNumberNotPrincipal: (name: string): string => `The parameter ${name} can't have a sequence number: only NamedPrincipal parameters are ordered.`,
  /** [inferred] AuthProviderUrlQueryParameter is for AWS Signature V4 with STS only ([doc] that it is STS-only). */
  queryParameterStsOnly: (variant: string): string =>
    `AuthProviderUrlQueryParameter parameters are only available for the AwsSv4_STS protocol variant, not ${variant}.`,
  /** [inferred] an AuthParameter of another variant. */
  parameterOfOtherVariant: (name: string, variant: string, actual: string): string =>
    `The authentication parameter ${name} is only available for the ${variant} protocol variant, not ${actual}.`,
  /** [inferred] more than one Authentication parameter on a named credential. */
  severalExternalCredentials: (): string => 'A named credential can reference only one external credential.',
  /** [inferred] a PrivateEndpoint named credential needs its outbound network connection. */
  privateEndpointWithoutConnection: (): string => 'A named credential of type PrivateEndpoint requires an OutboundNetworkConnection parameter.',
  /** [inferred] AllowedManagedPackageNamespaces naming a namespace no installed package has. */
  namespaceNotInstalled: (namespace: string): string => `No installed managed package has the namespace ${namespace}.`,
  /** [inferred; the form is the platform's usual one] a type deployed below the API version it appeared in. */
  typeTooNew: (type: string, version: number): string => `Not available for deploy for this API version: ${type} needs API ${version}.0 or later`,
  /** [inferred] destructiveChanges naming a component the org does not have. */
  deleteMissing: (type: string, name: string): string => `No ${type} named: ${name} found`,
  /** [inferred] Deleting an external credential a named credential still uses. */
  deleteReferencedByNamedCredential: (nc: string): string => `This external credential is referenced by named credential ${nc}.`,
  /** [inferred] Deleting an external credential whose principal a permission set still grants. */
  deleteReferencedByPermissionSet: (ps: string): string => `This external credential's principal is referenced by permission set ${ps}.`,
  /**
   * [inferred wording; the refusal is [doc] Help "Manage Expired Certificates": Delete is unavailable while the
   * identity provider uses the certificate, and one still used by an integration must not be deleted]
   * Deleting a certificate something in the org still uses.
   */
  deleteCertificateInUse: (user: string): string => `This certificate is in use by ${user} and can't be deleted.`,
  /** [inferred] Deleting a permission set that is still assigned. */
  deleteAssignedPermissionSet: (): string => 'This permission set is assigned to one or more users. Remove the assignments before deleting it.',
  /** [inferred] A required element is absent (the "Error parsing file" prefix is the platform's usual one). */
  requiredMissing: (element: string, type: string): string =>
    `Error parsing file: Required field is missing: ${element} in type ${type}`,
  /** [inferred] A value outside a WSDL enum. */
  badEnum: (value: string, enumName: string): string => `Error parsing file: '${value}' is not a valid value for the enum '${enumName}'`,
  /** [inferred; the form is seen on forums] An element the type does not have at this API version. */
  badElement: (element: string, type: string): string =>
    `Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}${element} invalid at this location in type ${type}`,
  /** [inferred] Legacy and SecuredEndpoint credentials of one name cannot be swapped in place (§13). */
  legacyConflict: (name: string): string =>
    `A named credential named ${name} already exists with type Legacy. You can't change a legacy named credential to the SecuredEndpoint type. Delete or rename the existing named credential first.`,
  /** [inferred] A SigningCertificate / ClientCertificate / certificateName naming a certificate the org lacks. */
  missingCertificate: (field: string, name: string): string => `In field: ${field} - no Certificate named ${name} found`,
  /** [inferred] Authentication parameter naming an external credential that neither the org nor the deploy has. */
  missingExternalCredential: (name: string): string =>
    `In field: externalCredential - no ExternalCredential named ${name} found`,
  /** [inferred] Principal access to a principal that is not a NamedPrincipal of that external credential. */
  missingPrincipal: (value: string): string =>
    `In field: externalCredentialPrincipal - no ExternalCredentialParameter named ${value} found`,
  /** [inferred] Missing AuthParameter for the Roles Anywhere variant. */
  missingAuthParameter: (variant: string, names: string[]): string =>
    `The authentication protocol variant ${variant} requires the following authentication parameters: ${names.join(', ')}`,
  /** [inferred] Unknown AuthProtocolVariant value. */
  badVariant: (value: string): string =>
    `The authentication protocol variant ${value} isn't valid for the authentication protocol AwsSv4.`,
  /** [inferred] Legacy-only fields on a SecuredEndpoint named credential. */
  legacyField: (field: string): string =>
    `The ${field} field is only available for named credentials of type Legacy.`,
  /** [inferred] A SecuredEndpoint credential without a URL parameter. */
  missingUrl: (): string => 'A named credential of type SecuredEndpoint requires a URL parameter.',
  /** [inferred] IdentityProviderSettings needs Customize Application [doc]; the message is a guess. */
  noCustomizeApplication: (): string => 'Insufficient access rights: Customize Application is required to deploy IdentityProviderSettings.',
  /** [inferred] Whole-deploy SOAP fault for an explicit NoTestRun in production (rejection itself is [seen]). */
  noTestRunInProduction: (): string => 'testLevel of NoTestRun cannot be used in production organizations',
  /** [inferred] Connect: POST for a principal that already has credentials. */
  credentialExists: (ec: string, principal: string): string =>
    `Credentials already exist for principal ${principal} of external credential ${ec}. Use PUT to update them.`,
  /** [inferred] Connect: PUT/DELETE/GET for credentials that do not exist. */
  credentialMissing: (ec: string, principal: string): string =>
    `No credentials found for principal ${principal} of external credential ${ec}. Use POST to create them.`,
  /** [inferred] Connect: principal or external credential unknown. */
  principalMissing: (ec: string, principal: string): string =>
    `The external credential ${ec} doesn't have a principal named ${principal}.`,
  /** [inferred] Connect: principalType other than the one the external credential declares for the principal. */
  principalTypeMismatch: (principal: string, declared: string, given: string): string =>
    `The principal ${principal} is a ${declared} of the external credential, not a ${given}.`,
  /** [inferred] Connect: authenticationProtocol other than the external credential's. */
  protocolMismatch: (given: string, actual: string): string =>
    `The authentication protocol ${given} must match the actual authentication protocol ${actual} of the external credential.`,
  /** [inferred] Connect: another variant (the fragment "must match the actual protocol variant" is reported from live orgs, unverified). */
  variantMismatch: (given: string, actual: string): string =>
    `The authentication protocol variant ${given} must match the actual protocol variant ${actual} of the external credential.`,
  /** [inferred] Connect: a credential key AwsSv4 does not have (the keys themselves are [doc]). */
  unknownCredentialKey: (key: string, allowed: string[]): string =>
    `The credential ${key} isn't valid for the AwsSv4 authentication protocol. Valid credentials: ${allowed.join(', ')}.`,
  /** [inferred] Connect: encryption flag contrary to the documented one (awsRoleArn plain, keys encrypted [doc]). */
  credentialEncryption: (key: string, encrypted: boolean): string => `The credential ${key} must be ${encrypted ? 'encrypted' : 'unencrypted'}.`,
  /**
   * [inferred, partly seen] Runtime callout without principal access or without the credential. The
   * "We couldn't access the credential(s)…" wording is what admins report seeing.
   */
  calloutNoAccess: (ec: string): string =>
    `We couldn't access the credential(s). You might not have the required permissions, or the external credential "${ec}" might not exist.`,
  /** [inferred] Runtime callout to a named credential name the org does not have. */
  calloutNoNamedCredential: (name: string): string => `Unable to find a named credential with the name: ${name}`,
  /** [inferred] Roles Anywhere principal without an awsRoleArn. */
  calloutNoRoleArn: (principal: string): string =>
    `The principal ${principal} has no IAM role ARN. Add the awsRoleArn credential to the principal.`,
  /** [inferred] Signing certificate missing at callout time. */
  calloutNoCertificate: (name: string): string => `The certificate ${name} used to sign the request doesn't exist.`,
  /** [inferred] Callouts disabled on the named credential (calloutStatus Disabled). */
  calloutDisabled: (name: string): string => `Callouts are disabled for the named credential ${name}.`,
  /** [doc: APEX-ANON needs Customize Application; wording inferred] */
  apexNoCustomizeApplication: (): string =>
    'You must have the Customize Application permission to make callouts through named credentials from anonymous Apex.',
  /** [inferred] A signed chain whose leaf does not carry the public key the org generated for this certificate. */
  certificateKeyMismatch: (name: string): string =>
    `The certificate chain you uploaded for ${name} doesn't match the private key of the certificate signing request. Upload the certificate that was issued for this certificate's CSR.`,
  /** [inferred] A .crt holding a certificate block that does not parse. */
  badCertificateChain: (name: string): string => `The certificate chain for ${name} isn't a valid PEM-encoded X.509 certificate chain.`,
};

/*
 * [inferred] CSR mode rules (docs/salesforce-metadata.md §6 documents the flow, not these details):
 * 1. The CSR's subject is CN=<masterLabel> (a real org adds organization fields; unverified).
 * 2. Deploying a signed chain for a CA-signed certificate is refused, as a component error, unless the
 * leaf (the chain's first certificate) carries the public key the org holds for that certificate.
 * 3. Redeploying a CA-signed certificate whose CSR is still pending, with the same key size and a `.crt`
 * that holds no certificate (the placeholder), keeps the key pair and the CSR; anything else that is not
 * a signed chain (a new certificate, a signed or imported one, another key size) gets a new key.
 */
export const csrSubject = (masterLabel: string): Array<{ name: string; value: string }> => [{ name: 'commonName', value: masterLabel }];

export const SIGNED_CHAIN_MUST_MATCH_ORG_KEY = true;

export function keepsPendingCsr(existing: CertificateRecord | undefined, keySize: number): boolean {
  return (
    existing !== undefined &&
    existing.origin === 'metadata' &&
    existing.caSigned &&
    existing.keySize === keySize &&
    existing.content.includes('BEGIN CERTIFICATE REQUEST')
  );
}

/**
 * [inferred] How the platform prefixes a custom exception's `exceptionMessage` in executeAnonymous results
 * (open question §15). Clients must search for the SMOKE:: marker rather than rely on this.
 */
export const customExceptionPrefix = (className: string): string => `${className}: `;

/**
 * Keystore import ("Import from Keystore" in Setup), docs/salesforce-metadata.md §8. The conditions are
 * [doc] (HELP-KS, KB-PW); the wording is [doc] where quoted there, otherwise [inferred] from its paraphrase.
 * Whether the Identity Provider must be enabled first is an open question (§15): enforced here [inferred].
 */
export const keystoreImportMessages = {
  /** [inferred] wording; [doc] PKCS#12/PFX and other formats are refused: JKS only. */
  notJks: (): string => 'The file you uploaded isn\'t a valid Java keystore (JKS) file.',
  /** [inferred] the keystore integrity check fails with a wrong store password. */
  wrongPassword: (): string => 'Keystore was tampered with, or password was incorrect.',
  /** [doc] paraphrased: the keystore has no PrivateKey entry (an upper-case alias on disk likely yields it [inferred]). */
  noPrivateKeyEntry: (): string => 'The keystore doesn\'t contain a PrivateKey entry.',
  /** [inferred] more than one PrivateKeyEntry: which key would be imported is ambiguous. */
  severalPrivateKeyEntries: (): string => 'The keystore must contain exactly one PrivateKey entry.',
  /** [doc] KB-PW wording. */
  keyPasswordDiffers: (): string =>
    'The keystore contains a private key whose per key password is not the same as the keystore password.',
  /** [doc] quoted. */
  notPkcs8: (): string => 'The key must be in PKCS#8 format.',
  /** [doc] paraphrased. */
  notRsa: (): string => 'The private key must be an RSA key.',
  /** [doc] paraphrased. */
  badKeySize: (): string => 'The key size must be 2048, 3072, or 4096 bits.',
  /** [doc] paraphrased. */
  keyDoesNotMatchChain: (): string => 'The private key doesn\'t match the certificate chain.',
  /** [doc] DeveloperName rules applied to the alias; wording [inferred]. */
  badAlias: (alias: string): string =>
    `The alias ${alias} can't be used as the certificate's Unique Name: use letters, digits and single underscores, starting with a letter.`,
  /** [inferred] §15 open question; the Setup page asks for the Identity Provider first. */
  identityProviderOff: (): string => 'Enable the Identity Provider before importing a keystore.',
};

/**
 * [inferred] What Apex sees when the callout chain fails on the Salesforce side or at Roles Anywhere.
 * Salesforce performs CreateSession itself; how it surfaces AWS's AccessDeniedException (and the other
 * Roles Anywhere errors) to Apex is not documented: here it is a System.CalloutException carrying AWS's
 * error type and message verbatim.
 */
export const calloutMessages = {
  rolesAnywhereRefused: (status: number, errorType: string, message: string): string =>
    `Unable to obtain AWS credentials from IAM Roles Anywhere (HTTP ${status} ${errorType}): ${message}`,
  certificateWithoutKey: (name: string): string =>
    `The certificate ${name} has no private key in this org. Import the keystore for it, or complete its certificate signing request.`,
  hostUnreachable: (host: string): string => `Unable to resolve host: ${host}`,
  namespaceNotAllowed: (name: string, namespace: string): string =>
    `The named credential ${name} doesn't allow callouts from the namespace ${namespace}. Add it to the allowed namespaces of the named credential.`,
  packageNotInstalled: (namespace: string): string => `No package with the namespace ${namespace} is installed in this org.`,
  notAwsSv4: (protocol: string): string => `The external credential uses the ${protocol} protocol; only AwsSv4 callouts are simulated.`,
  missingParameter: (name: string): string => `The external credential is missing the ${name} authentication parameter.`,
  noAccessKey: (principal: string): string => `The principal ${principal} has no AWS access key. Add awsAccessKeyId and awsSecretAccessKey.`,
  principalProtocolMismatch: (principal: string): string =>
    `The credentials of principal ${principal} don't match the authentication protocol and variant of the external credential.`,
};

/**
 * [inferred] The variant Salesforce runs when an AwsSv4 credential has no AuthProtocolVariant parameter:
 * plain AWS Signature V4 with the principal's long-term access key (the Connect default).
 */
export const DEFAULT_AWS_VARIANT = 'AwsSv4';
