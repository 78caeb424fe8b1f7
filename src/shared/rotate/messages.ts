import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
/** Rotation's wording (messages/rotate.md). */
export const rotateMessages = Messages.loadMessages('plugin-iamra', 'rotate');
