import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
/** Messages shared by the CSR-mode services (messages/csr.md). */
export const csrMessages = Messages.loadMessages('plugin-iamra', 'csr');
