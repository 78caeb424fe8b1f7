/*
 * Reading the user's input files: a missing, unreadable, empty or directory path is refused here
 * with a message naming the path, before any parsing happens.
 */
import { readFile, stat } from 'node:fs/promises';
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'files');

/** Certificates, keys and keystores are a few KiB; anything bigger is not one (and is not read whole). */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** `what` is how the user knows the file ("certificate", "private key", "keystore"). */
export async function readInputFile(path: string, what: string): Promise<Buffer> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    if (info.code === 'ENOENT') throw messages.createError('error.InputMissing', [what, path]);
    throw messages.createError('error.InputUnreadable', [what, path, info.code ?? info.message]);
  }
  if (info.isDirectory()) throw messages.createError('error.InputIsDirectory', [what, path]);
  if (info.size > MAX_INPUT_BYTES) throw messages.createError('error.InputTooLarge', [what, path, String(info.size)]);
  const data = await readFile(path).catch((error: NodeJS.ErrnoException) => error);
  if (data instanceof Error) throw messages.createError('error.InputUnreadable', [what, path, data.code ?? data.message]);
  if (data.length === 0 || data.toString('latin1').trim() === '') {
    throw messages.createError('error.InputEmpty', [what, path]);
  }
  return data;
}
