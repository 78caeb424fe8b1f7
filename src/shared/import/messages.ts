import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
/** The guided import's wording (messages/guidedImport.md). */
export const importMessages = Messages.loadMessages('plugin-iamra', 'guidedImport');
