/*
 * Text files as users' tools write them: UTF-8 with or without a byte-order mark, and UTF-16 (what
 * Windows PowerShell 5's `>` writes, with a BOM), read to a string; and a message-safe form of text
 * that may hold control characters. Pure.
 */

/** Decodes by byte-order mark, else UTF-16 when the first character has a NUL half, else UTF-8; the BOM is dropped. */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder(encodingOf(bytes)).decode(bytes);
}

function encodingOf(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (bytes.length < 2) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  // Files these commands read start with ASCII ({, [, -), so a NUL half means UTF-16 without a BOM.
  if (bytes[0] !== 0 && bytes[1] === 0) return 'utf-16le';
  if (bytes[0] === 0 && bytes[1] !== 0) return 'utf-16be';
  return 'utf-8';
}

/** Control characters (NUL included) and undecodable bytes shown as \u escapes, so a message stays one clean line of text. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
