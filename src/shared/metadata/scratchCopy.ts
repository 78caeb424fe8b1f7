/*
 * Generated files on disk outside the project, for a check-only deploy: SDR deploys from files, and
 * a dry run must not write into the user's project. The copy keeps the package directory's type
 * folders (SDR resolves types by folder and suffix) and is removed when the work is done, whatever
 * happened.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { MetadataFile } from './builder.js';

export type ScratchCopy = {
  /** Where each file was written, in the order given. */
  paths: string[];
};

/** Writes `files` (by their package-relative paths) to a temporary directory, runs `work` on it, removes it. */
export async function withScratchCopy<T>(
  files: readonly MetadataFile[],
  work: (copy: ScratchCopy) => Promise<T>
): Promise<T> {
  // realpath: SDR reports resolved paths (macOS's tmpdir is a symlink), and callers match on them.
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'iamra-dry-run-')));
  try {
    const paths = files.map((file) => join(dir, ...file.relativePath.split('/')));
    await Promise.all(
      files.map(async (file, index) => {
        await mkdir(dirname(paths[index]), { recursive: true });
        await writeFile(paths[index], file.content, 'utf8');
      })
    );
    return await work({ paths });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
