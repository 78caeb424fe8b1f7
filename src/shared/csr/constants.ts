/*
 * CSR mode (Salesforce keeps the key, AWS Private CA signs its CSR): every number, name and platform
 * assumption in one place. Tags as in docs/: [doc] documented, [seen] observed, [inferred] our
 * guess - an [inferred] value is the one to revisit once confirmed in a live org.
 */

/** DeveloperName of the CA-signed certificate when --certificate-name is not given. */
export const DEFAULT_CSR_CERTIFICATE_NAME = 'iamra_csr';

/** Where `sf iamra csr create` writes the CSR when --output is not given. */
export const DEFAULT_CSR_OUTPUT = 'iamra_csr.csr';

/** Certificate `keySize` values the Metadata API takes [doc] (MD-CERT). */
export const CSR_KEY_SIZES = ['2048', '4096'] as const;
export type CsrKeySize = (typeof CSR_KEY_SIZES)[number];

/**
 * [inferred] The `.crt` a new CA-signed certificate is deployed with. The Metadata API needs a content
 * file, and the org makes its own key pair and CSR whatever it holds [doc]; that a text without any
 * certificate in it is accepted is our assumption (the Identity Provider's template uses a real PEM).
 */
export const PLACEHOLDER_CRT =
  'placeholder: Salesforce generates the key pair and the certificate signing request of this CA-signed certificate.\n';

/**
 * [inferred] The signed chain is deployed as the `.crt` content leaf first, then each issuer up to the
 * root (docs/salesforce-metadata.md §6 step 4). Set to false to deploy root first if a live org says otherwise.
 */
export const CHAIN_LEAF_FIRST = true;

/** PEM label of a PKCS#10 request as a retrieve returns it [seen] (CSR-flow guides). */
export const CSR_PEM_LABEL = 'CERTIFICATE REQUEST';

/**
 * How AWS Private CA signs the CSR, whether the plugin calls IssueCertificate itself or prints the
 * `aws acm-pca issue-certificate` command: one set of values for both. IAM Roles Anywhere needs
 * CA:FALSE, digitalSignature and SHA-256 or better; clientAuth is the least extended key usage that
 * works, which is what EndEntityClientAuthCertificate/V1 gives (docs/rolesanywhere-signing.md).
 */
export const ACM_PCA = {
  signingAlgorithm: 'SHA256WITHRSA',
  templateArn: 'arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1',
  validityDays: 365,
  /** Shown in the next-step commands where the user's Private CA ARN goes. */
  caArnPlaceholder: '<private-ca-arn>',
  certificateArnPlaceholder: '<certificate-arn-from-issue-certificate>',
} as const;
