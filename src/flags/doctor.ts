/*
 * `sf iamra doctor`'s own flags. The names and ARNs are the credential-set flags every org command
 * shares (metadata/credentialSetFlags.ts): given, they are the reference the org is compared with.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { credentialSetFlags } from './credentialSet.js';
import { targetOrgFlag } from './deploy.js';
import { withDescriptions } from './describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.doctor');
const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

export const doctorFlags = withDescriptions(messages, {
  'target-org': targetOrgFlag,
  'api-version': Flags.orgApiVersion(),
  'assign-to': Flags.string({ summary: summary('assign-to'), multiple: true }),
  callout: Flags.boolean({ summary: summary('callout'), default: true, allowNo: true }),
  keystore: Flags.file({ summary: summary('keystore'), exclusive: ['certificate'], helpGroup: 'LOCAL' }),
  'keystore-password-file': Flags.file({ summary: summary('keystore-password-file'), dependsOn: ['keystore'], helpGroup: 'LOCAL' }),
  certificate: Flags.file({ summary: summary('certificate'), exclusive: ['keystore'], helpGroup: 'LOCAL' }),
  ...credentialSetFlags,
});
