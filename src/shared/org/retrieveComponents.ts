/*
 * Reads components back from the org as metadata XML, by their metadata-format path (the retrieve
 * itself is deployMetadata.ts's). Read-only; a component the org lacks is simply absent.
 */
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { retrieveFiles } from './deployMetadata.js';

export type ComponentRef = { type: string; fullName: string; /** metadata-format path of its XML, e.g. `externalCredentials/X.externalCredential` */ path: string };

/** `path -> XML` for each requested component the org returned (none when the retrieve failed). */
export async function retrieveComponentXml(
  connection: Connection,
  components: ComponentRef[],
  options: { wait?: Duration } = {}
): Promise<Map<string, string>> {
  const retrieved = await retrieveFiles(
    connection,
    components,
    components.map((component) => component.path),
    { wait: options.wait ?? Duration.minutes(5) }
  );
  return retrieved.files;
}
