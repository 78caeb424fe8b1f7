/*
 * Writes the keystore atomically with mode 0600: a temp file in the same directory, then a
 * no-clobber link (or a rename with --force). A failure leaves neither temp file nor partial output.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'files');

/** Refuses early (before any secret is asked for) when the output exists and --force is absent. */
export async function assertWritable(path: string, force: boolean): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw messages.createError('error.OutputNotWritable', [path, 'it is a directory']);
  if (existing && !force) throw messages.createError('error.OutputExists', [path]);
}

export async function writePrivateFile(path: string, data: Buffer, force: boolean): Promise<void> {
  await assertWritable(path, force);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (force) {
      await rename(temp, path);
    } else {
      await link(temp, path); // fails with EEXIST if the file appeared meanwhile: never clobber
      await unlink(temp);
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw messages.createError('error.OutputExists', [path]);
    throw messages.createError('error.OutputNotWritable', [path, code ?? String(error)]);
  }
}
