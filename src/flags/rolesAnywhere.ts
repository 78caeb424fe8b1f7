/*
 * The flags `iamra aws verify` and `iamra aws credential-process` share (named as AWS's
 * credential helper names them), configure's --preflight variant of them, and the one mapping
 * from parsed flags to the service request.
 */
import { Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import type { CredentialSource, SecretAsker } from '../shared/keystore/intake.js';
import {
  KEY_PASSPHRASE_ENV,
  KEY_PASSPHRASE_FILE_FLAG,
  KEYSTORE_PASSWORD_ENV,
  KEYSTORE_PASSWORD_FILE_FLAG,
} from '../shared/keystore/constants.js';
import { secretAsker } from '../shared/secrets.js';
import { DEFAULT_DURATION_SECONDS, MAX_DURATION_SECONDS, MIN_DURATION_SECONDS } from '../shared/rolesanywhere/constants.js';
import type { RolesAnywhereCheckRequest } from '../shared/rolesanywhere/createSession.js';
import { arnFlags, arnInputFromFlags, type ParsedArnFlags } from './aws.js';
import { type PromptingCommand, secretRoutesFromFlags } from './secrets.js';
import { withDescriptions } from './describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'flags.rolesAnywhere');

const CREDENTIAL_GROUP = ['certificate', 'pkcs12', 'keystore'];

export const rolesAnywhereFlags = withDescriptions(messages, {
  certificate: Flags.file({
    summary: messages.getMessage('flags.certificate.summary'),
    exists: true,
    dependsOn: ['private-key'],
    exactlyOne: CREDENTIAL_GROUP,
    helpGroup: 'CERTIFICATE',
  }),
  'private-key': Flags.file({
    summary: messages.getMessage('flags.private-key.summary'),
    exists: true,
    dependsOn: ['certificate'],
    helpGroup: 'CERTIFICATE',
  }),
  intermediates: Flags.file({
    summary: messages.getMessage('flags.intermediates.summary'),
    exists: true,
    dependsOn: ['certificate'],
    helpGroup: 'CERTIFICATE',
  }),
  pkcs12: Flags.file({
    summary: messages.getMessage('flags.pkcs12.summary'),
    exists: true,
    exactlyOne: CREDENTIAL_GROUP,
    helpGroup: 'CERTIFICATE',
  }),
  keystore: Flags.file({
    summary: messages.getMessage('flags.keystore.summary'),
    exists: true,
    exactlyOne: CREDENTIAL_GROUP,
    helpGroup: 'CERTIFICATE',
  }),
  [KEY_PASSPHRASE_FILE_FLAG]: Flags.file({
    summary: messages.getMessage('flags.key-passphrase-file.summary'),
    description: messages.getMessage('flags.key-passphrase-file.description', [KEY_PASSPHRASE_ENV]),
    helpGroup: 'CERTIFICATE',
  }),
  [KEYSTORE_PASSWORD_FILE_FLAG]: Flags.file({
    summary: messages.getMessage('flags.keystore-password-file.summary'),
    description: messages.getMessage('flags.keystore-password-file.description', [KEYSTORE_PASSWORD_ENV]),
    dependsOn: ['keystore'],
    helpGroup: 'CERTIFICATE',
  }),
  ...arnFlags,
  'trust-anchor-certificate': Flags.file({
    summary: messages.getMessage('flags.trust-anchor-certificate.summary'),
    exists: true,
    helpGroup: 'AWS',
  }),
  'session-duration': Flags.integer({
    summary: messages.getMessage('flags.session-duration.summary'),
    min: MIN_DURATION_SECONDS,
    max: MAX_DURATION_SECONDS,
    default: DEFAULT_DURATION_SECONDS,
    helpGroup: 'AWS',
  }),
  endpoint: Flags.string({ summary: messages.getMessage('flags.endpoint.summary'), helpGroup: 'AWS' }),
  'role-session-name': Flags.string({ summary: messages.getMessage('flags.role-session-name.summary'), helpGroup: 'AWS' }),
  debug: Flags.boolean({ summary: messages.getMessage('flags.debug.summary') }),
  // AWS's helper needs --with-proxy to read HTTPS_PROXY; we always honour it, and accept the flag for copied commands.
  'with-proxy': Flags.boolean({ summary: messages.getMessage('flags.with-proxy.summary'), hidden: true }),
});

type ParsedRolesAnywhereFlags = ParsedArnFlags & {
  certificate?: string;
  'private-key'?: string;
  intermediates?: string;
  pkcs12?: string;
  keystore?: string;
  'key-passphrase-file'?: string;
  'keystore-password-file'?: string;
  'trust-anchor-certificate'?: string;
  'session-duration': number;
  region?: string;
  endpoint?: string;
  'role-session-name'?: string;
};

/** Which files hold the certificate and key. oclif's exactlyOne/dependsOn guarantee one complete source. */
export function credentialSourceFromFlags(flags: ParsedRolesAnywhereFlags): CredentialSource {
  if (flags.pkcs12) return { kind: 'pkcs12', file: flags.pkcs12 };
  if (flags.keystore) return { kind: 'jks', file: flags.keystore };
  return {
    kind: 'pem',
    certificateFile: flags.certificate!,
    privateKeyFile: flags['private-key']!,
    chainFiles: flags.intermediates ? [flags.intermediates] : undefined,
  };
}

/** `command` offers a hidden prompt for the passphrase and password (not given for credential-process). */
export function checkRequestFromFlags(
  flags: ParsedRolesAnywhereFlags,
  command?: PromptingCommand,
  askSecret: SecretAsker = secretAsker(secretRoutesFromFlags(flags, command))
): RolesAnywhereCheckRequest {
  return {
    credential: credentialSourceFromFlags(flags),
    askSecret,
    ...arnInputFromFlags(flags),
    trustAnchorCertificateFile: flags['trust-anchor-certificate'],
    durationSeconds: flags['session-duration'],
    region: flags.region,
    endpoint: flags.endpoint,
    roleSessionName: flags['role-session-name'],
  };
}

/** The certificate flags, optional in `iamra configure`: they matter only with --preflight. */
const { certificate, 'private-key': privateKey, pkcs12, keystore } = rolesAnywhereFlags;
export const preflightFlags = {
  certificate: { ...certificate, exactlyOne: undefined, helpGroup: 'PREFLIGHT' },
  'private-key': { ...privateKey, helpGroup: 'PREFLIGHT' },
  intermediates: { ...rolesAnywhereFlags.intermediates, helpGroup: 'PREFLIGHT' },
  pkcs12: { ...pkcs12, exactlyOne: undefined, exclusive: ['certificate', 'keystore'], helpGroup: 'PREFLIGHT' },
  keystore: { ...keystore, exactlyOne: undefined, exclusive: ['certificate', 'pkcs12'], helpGroup: 'PREFLIGHT' },
  'key-passphrase-file': { ...rolesAnywhereFlags['key-passphrase-file'], helpGroup: 'PREFLIGHT' },
  'keystore-password-file': { ...rolesAnywhereFlags['keystore-password-file'], helpGroup: 'PREFLIGHT' },
  'trust-anchor-certificate': { ...rolesAnywhereFlags['trust-anchor-certificate'], helpGroup: 'PREFLIGHT' },
  endpoint: { ...rolesAnywhereFlags.endpoint, helpGroup: 'PREFLIGHT' },
};
