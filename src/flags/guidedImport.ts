/* The guided keystore import's flags, for every command that may wait for an import (rotate, configure). */
import { Messages } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { Flags } from '@salesforce/sf-plugins-core';
import { importPollMs, type KeystoreImportRequest } from '../shared/import/guidedImport.js';
import { withDescriptions } from './describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'guidedImportFlags');

export const guidedImportFlags = withDescriptions(messages, {
  browser: Flags.boolean({ summary: messages.getMessage('flags.browser.summary'), default: true, allowNo: true, helpGroup: 'IMPORT' }),
  'import-timeout': Flags.duration({
    unit: 'seconds',
    defaultValue: 900,
    min: 1,
    summary: messages.getMessage('flags.import-timeout.summary'),
    helpGroup: 'IMPORT',
  }),
});

/** A person can act on the guided import: both ends are terminals and the output is not --json. */
export function canGuide(jsonEnabled: boolean): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !jsonEnabled;
}

type GuidedImportFlagValues = { browser: boolean; 'import-timeout': Duration };
type GuidingCommand = { jsonEnabled(): boolean; log(message?: string): void };

/** The guided import's settings from its flags and the command's terminal: one place for configure and rotate. */
export function guidedImportSettings(
  flags: GuidedImportFlagValues,
  command: GuidingCommand
): Pick<KeystoreImportRequest, 'interactive' | 'browser' | 'timeoutMs' | 'pollMs' | 'say'> {
  return {
    interactive: canGuide(command.jsonEnabled()),
    browser: flags.browser,
    timeoutMs: flags['import-timeout'].milliseconds,
    pollMs: importPollMs(),
    say: (message) => command.log(message),
  };
}
