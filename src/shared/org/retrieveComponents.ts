/*
 * Reads components back from the org as metadata XML: one Metadata-API-format retrieve into a
 * temporary directory, removed afterwards. Read-only; a component the org lacks is simply absent.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { Connection } from '@salesforce/core';
import { ComponentSet, RequestStatus } from '@salesforce/source-deploy-retrieve';
import { Duration } from '@salesforce/kit';
import { pollFrequencyMs } from './deployMetadata.js';
import { withRetry } from './retry.js';

export type ComponentRef = { type: string; fullName: string; /** metadata-format path of its XML, e.g. `externalCredentials/X.externalCredential` */ path: string };

/** `path -> XML` for each requested component the org returned. */
export async function retrieveComponentXml(
  connection: Connection,
  components: ComponentRef[],
  options: { wait?: Duration } = {}
): Promise<Map<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'iamra-retrieve-'));
  try {
    const set = new ComponentSet(components.map(({ type, fullName }) => ({ type, fullName })));
    const retrieve = await withRetry(() =>
      set.retrieve({
        usernameOrConnection: connection,
        output: dir,
        format: 'metadata',
        singlePackage: true,
        unzip: true,
        zipFileName: 'components.zip',
        suppressEvents: true,
      })
    );
    const result = await retrieve.pollStatus({ frequency: Duration.milliseconds(pollFrequencyMs()), timeout: options.wait ?? Duration.minutes(5) });
    const found = new Map<string, string>();
    if (result.response.status !== RequestStatus.Succeeded) return found;
    const files = (await readdir(dir, { recursive: true })).map((f) => f.split(sep).join('/'));
    for (const component of components) {
      const match = files.find((f) => f === component.path || f.endsWith(`/${component.path}`));
      // eslint-disable-next-line no-await-in-loop
      if (match) found.set(component.path, await readFile(join(dir, ...match.split('/')), 'utf8'));
    }
    return found;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
