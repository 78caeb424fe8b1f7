import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
/** Messages shared by the org adapters (messages/org.md). */
export const orgMessages = Messages.loadMessages('plugin-iamra', 'org');
