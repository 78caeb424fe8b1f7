import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
/** The checks' wording (messages/doctor.md). */
export const doctorMessages = Messages.loadMessages('plugin-iamra', 'doctor');
