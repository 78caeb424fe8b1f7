/*
 * What configure's generate steps are about to overwrite in the project, kept in memory so a failed
 * run puts the user's source files back exactly as they were.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';

/** Path -> previous bytes, or undefined when the file did not exist. */
export type FileSnapshot = Map<string, Buffer | undefined>;

export async function snapshotFiles(paths: string[]): Promise<FileSnapshot> {
  const entries = await Promise.all(
    paths.map(async (path) => [path, await readFile(path).catch(() => undefined)] as const)
  );
  return new Map(entries);
}

export async function restoreFiles(snapshot: FileSnapshot): Promise<void> {
  await Promise.all(
    [...snapshot].map(([path, before]) => (before === undefined ? rm(path, { force: true }) : writeFile(path, before)))
  );
}
