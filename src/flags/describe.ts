/*
 * Flag summaries fit one 80-column line (test/packaging/helpText.test.ts); the detail lives in the flag's
 * description, `# flags.<name>.description` in the same messages file. This fills it in once for a whole
 * flags object instead of at every flag.
 */
import type { Messages } from '@salesforce/core';

/** Each flag without a description gets `flags.<name>.description` from `messages`, where that message exists. */
export function withDescriptions<T extends Record<string, { description?: string }>>(messages: Messages<string>, flags: T): T {
  return Object.fromEntries(
    Object.entries(flags).map(([name, flag]) => {
      const key = `flags.${name}.description`;
      return [name, flag.description === undefined && messages.messages.has(key) ? { ...flag, description: messages.getMessage(key) } : flag];
    })
  ) as T;
}
