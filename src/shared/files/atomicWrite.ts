/*
 * Output paths the commands write (keystore, CSR, generated source): checked before anything else
 * happens (before a secret is asked for or the org is touched), with a message that says what is wrong
 * instead of a raw ENOTDIR / ENOENT; and written atomically: a temp file in the same directory, then a
 * no-clobber link, or with --force a rename, which replaces a symbolic link rather than writing through
 * it. A failure leaves neither temp file nor partial output.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'files');

/** How the output is named in messages, e.g. "keystore", "CSR file". */
export type OutputOptions = { what: string; force: boolean };

/**
 * Refuses an output file that exists (without force), is a directory, or lies where nothing can be
 * written (under a file, in a read-only or foreign directory). Creates nothing that stays.
 */
export async function assertOutputWritable(path: string, options: OutputOptions): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw notWritable(options.what, path, messages.getMessage('reason.IsDirectory'));
  if (existing && !options.force) throw messages.createError('error.OutputExists', [options.what, path]);
  await assertDirectoryWritable(dirname(path), options.what, path);
}

/** Refuses an output directory that is a file, lies under one, or cannot be written. Creates nothing that stays. */
export async function assertOutputDirectoryWritable(dir: string, what: string): Promise<void> {
  await assertDirectoryWritable(dir, what, dir);
}

/** Writes `data` to `path` (mode `mode`) through a temp file; see the header for --force and links. */
export async function writeOutputFile(path: string, data: string | Buffer, options: OutputOptions & { mode?: number }): Promise<void> {
  await assertOutputWritable(path, options);
  const mode = options.mode ?? 0o644;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.force) {
      await rename(temp, path);
    } else {
      await link(temp, path); // fails with EEXIST if the file appeared meanwhile: never clobber
      await unlink(temp);
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw messages.createError('error.OutputExists', [options.what, path]);
    throw notWritable(options.what, path, reasonOf(code, dirname(path)));
  }
}

/**
 * The nearest existing ancestor of `dir` must be a directory in which a file can be created (tried for
 * real: file modes say nothing for root, nor about read-only mounts); missing levels are made later.
 */
async function assertDirectoryWritable(dir: string, what: string, output: string): Promise<void> {
  let ancestor = dir;
  let stats = await lstat(ancestor).catch(() => undefined);
  while (!stats && dirname(ancestor) !== ancestor) {
    ancestor = dirname(ancestor);
    // eslint-disable-next-line no-await-in-loop
    stats = await lstat(ancestor).catch(() => undefined);
  }
  if (stats?.isSymbolicLink()) stats = await stat(ancestor).catch(() => undefined);
  if (stats && !stats.isDirectory()) throw notWritable(what, output, messages.getMessage('reason.NotDirectory', [ancestor]));
  const probe = join(ancestor, `.iamra-write-check.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await (await open(probe, 'wx', 0o600)).close();
    await unlink(probe);
  } catch (error) {
    throw notWritable(what, output, reasonOf((error as NodeJS.ErrnoException).code, ancestor));
  }
}

function reasonOf(code: string | undefined, dir: string): string {
  if (code === 'EROFS') return messages.getMessage('reason.ReadOnly', [dir]);
  if (code === 'EACCES' || code === 'EPERM') return messages.getMessage('reason.NoPermission', [dir]);
  if (code === 'ENOTDIR') return messages.getMessage('reason.NotDirectory', [dir]);
  if (code === 'ENOSPC' || code === 'EDQUOT') return messages.getMessage('reason.NoSpace', [dir]);
  return code ?? 'unknown error';
}

function notWritable(what: string, path: string, reason: string): Error {
  return messages.createError('error.OutputNotWritable', [what, path, reason]);
}
