/*
 * Every keystore rule that is a number, a name or a policy lives here, so one edit changes it
 * everywhere. Tags as in docs/: [doc] documented, [seen] observed, [inferred] our guess -
 * an [inferred] value is the one to revisit once confirmed in a live org.
 */

/** Salesforce "Import from Keystore" accepts only RSA keys of these sizes [doc] (HELP-KS). */
export const SALESFORCE_RSA_SIZES: readonly number[] = [2048, 3072, 4096];

/** What the manual openssl + keytool steps produce; becomes the Certificate DeveloperName [seen]. */
export const DEFAULT_ALIAS = 'iamra';

/**
 * Salesforce Unique Name (DeveloperName): letter first, letters/digits/underscores, no `__`, no
 * trailing `_` [doc] (TOOL-CERT); written lower case because Java's JKS cannot find an upper-case
 * alias on disk [seen]. The 64-character cap mirrors masterLabel [inferred].
 */
export const ALIAS_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
export const ALIAS_MAX_LENGTH = 64;

/**
 * Keystore password policy [inferred]: keytool refuses key passwords shorter than 6 when creating
 * keys, and printable ASCII avoids any doubt about how Salesforce's form encodes the password.
 */
export const PASSWORD_MIN_LENGTH = 6;
export const PASSWORD_PATTERN = /^[\x20-\x7e]*$/;

/** Generated keystore passwords: URL-safe, no look-alike worries for copy/paste, ~143 bits. */
export const GENERATED_PASSWORD_BYTES = 18;

/** Warn when a certificate expires within this many days [inferred: a month to rotate]. */
export const EXPIRY_WARNING_DAYS = 30;

/**
 * AWS CLI v2 base64-decodes --passphrase, so `echo pw | base64` leaves a trailing newline in the
 * passphrase ACM used [seen] (aws/aws-cli#5337); retrying with it is our workaround [inferred].
 */
export const ACM_PASSPHRASE_SUFFIX = '\n';

/** Where secrets come from, named in errors and help (never from a flag value). */
export const KEY_PASSPHRASE_ENV = 'IAMRA_KEY_PASSPHRASE';
export const KEY_PASSPHRASE_FILE_FLAG = 'key-passphrase-file';
export const KEYSTORE_PASSWORD_ENV = 'IAMRA_KEYSTORE_PASSWORD';
export const KEYSTORE_PASSWORD_FILE_FLAG = 'keystore-password-file';

/** Signature algorithms IAM Roles Anywhere rejects (MD5/SHA-1 based) [doc] (AWS-TRUST). */
export const WEAK_SIGNATURE_OIDS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
};

/** Where the admin goes next (Salesforce Setup) [doc] (HELP-KS). */
export const IMPORT_LOCATION = 'Setup > Certificate and Key Management > Import from Keystore';
