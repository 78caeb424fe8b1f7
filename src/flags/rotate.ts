/* `sf iamra rotate`'s flags: the org deploy flags every deploying command has, the new certificate, the names. */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
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
  'test-level': Flags.option({ summary: summary('test-level'), options: TEST_LEVELS })(),
  callout: Flags.boolean({ summary: summary('callout'), default: true, allowNo: true }),
  'external-credential': Flags.string({ summary: summary('external-credential'), helpGroup: 'NAMES' }),
  'named-credential': Flags.string({ summary: summary('named-credential'), helpGroup: 'NAMES' }),
});
