/*
 * Writes generated files into a package directory. A file is replaced only when it already holds
 * our marker (or --force); every file is checked before the first write, so a refusal leaves
 * nothing half-written. Unchanged bytes are not rewritten.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Messages } from '@salesforce/core';
import type { MetadataFile } from './builder.js';
import { GENERATED_MARKER } from './constants.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'metadata');

export type WriteStatus = 'created' | 'changed' | 'unchanged';

export type WrittenFile = MetadataFile & { path: string; status: WriteStatus };

/**
 * What writing `files[i]` to `paths[i]` (absolute) would do, refusing foreign files; writes nothing,
 * so a dry run checks and reports exactly what a real run would write.
 */
export async function planMetadataFiles(
  files: readonly MetadataFile[],
  paths: readonly string[],
  force = false
): Promise<WrittenFile[]> {
  const existing = await Promise.all(paths.map(readIfExists));
  const byPath = new Map(paths.map((path, index) => [path, existing[index]]));
  const planned = files.map((file, index): WrittenFile => {
    const before = existing[index];
    const status: WriteStatus = before === undefined ? 'created' : before === file.content ? 'unchanged' : 'changed';
    return { ...file, path: paths[index], status };
  });
  if (!force) {
    const foreign = planned.find((file) => file.status === 'changed' && !isOurs(file.path, byPath));
    if (foreign) throw messages.createError('error.NotOurFile', [foreign.path]);
  }
  return planned;
}

/** Writes what planMetadataFiles planned (unchanged files are not rewritten). */
export async function writePlannedFiles(planned: readonly WrittenFile[]): Promise<void> {
  for (const file of planned.filter((f) => f.status !== 'unchanged')) {
    // eslint-disable-next-line no-await-in-loop
    await mkdir(dirname(file.path), { recursive: true });
    // eslint-disable-next-line no-await-in-loop
    await writeFile(file.path, file.content, 'utf8');
  }
}

/** A -meta.xml is ours if it carries the marker; a content file (.crt) belongs to its -meta.xml. */
function isOurs(path: string, existing: Map<string, string | undefined>): boolean {
  const owner = path.endsWith('-meta.xml') ? path : `${path}-meta.xml`;
  return existing.get(owner)?.includes(GENERATED_MARKER) ?? false;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
