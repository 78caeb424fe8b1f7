/* `sf iamra rotate`'s flags: the org deploy flags every deploying command has, the new certificate, the names. */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import type { CredentialSource } from '../shared/keystore/intake.js';
import { TEST_LEVELS } from '../shared/org/constants.js';
import { orgDeployFlags } from './deploy.js';
import { guidedImportFlags } from './guidedImport.js';
import { withDescriptions } from './describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.rotate');
const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

export const rotateFlags = withDescriptions(messages, {
  ...orgDeployFlags,
  'certificate-name': Flags.string({ summary: summary('certificate-name') }),
  keystore: Flags.file({ summary: summary('keystore'), exists: true, helpGroup: 'IMPORT' }),
  'keystore-password-file': Flags.file({ summary: summary('keystore-password-file'), dependsOn: ['keystore'], helpGroup: 'IMPORT' }),
  ...guidedImportFlags,
  preflight: Flags.boolean({ summary: summary('preflight'), default: true, allowNo: true, helpGroup: 'PREFLIGHT' }),
  certificate: Flags.file({ summary: summary('certificate'), exists: true, dependsOn: ['private-key', 'certificate-name'], exclusive: ['keystore'], helpGroup: 'PREFLIGHT' }),
  'private-key': Flags.file({ summary: summary('private-key'), exists: true, dependsOn: ['certificate'], helpGroup: 'PREFLIGHT' }),
  intermediates: Flags.file({ summary: summary('intermediates'), exists: true, dependsOn: ['certificate'], helpGroup: 'PREFLIGHT' }),
  'key-passphrase-file': Flags.file({ summary: summary('key-passphrase-file'), dependsOn: ['private-key'], helpGroup: 'PREFLIGHT' }),
  endpoint: Flags.string({ summary: summary('endpoint'), helpGroup: 'PREFLIGHT' }),
  'test-level': Flags.option({ summary: summary('test-level'), options: TEST_LEVELS })(),
  callout: Flags.boolean({ summary: summary('callout'), default: true, allowNo: true }),
  'delete-old': Flags.boolean({ summary: summary('delete-old') }),
  'external-credential': Flags.string({ summary: summary('external-credential'), helpGroup: 'NAMES' }),
  'named-credential': Flags.string({ summary: summary('named-credential'), helpGroup: 'NAMES' }),
});

type RotateFlagsWithKey = { keystore?: string; certificate?: string; 'private-key'?: string; intermediates?: string };

/** The new key when it is on this machine: the keystore, or the PEM pair (oclif's dependsOn makes the pair whole). */
export function localKeyFromFlags(flags: RotateFlagsWithKey): CredentialSource | undefined {
  if (flags.keystore) return { kind: 'jks', file: flags.keystore };
  if (flags.certificate && flags['private-key']) {
    return { kind: 'pem', certificateFile: flags.certificate, privateKeyFile: flags['private-key'], chainFiles: flags.intermediates ? [flags.intermediates] : undefined };
  }
  return undefined;
}
