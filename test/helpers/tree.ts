/* A directory's files as a plain object, for asserting what a command wrote (or that it wrote nothing). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export type ReadTreeOptions = {
  /** Also list every directory (as `path/` -> ''), so an empty directory a command created shows up. */
  directories?: boolean;
  /** How file bytes are shown: 'utf8' (default, readable diffs) or 'base64' (byte for byte). */
  encoding?: 'utf8' | 'base64';
};

/** Every file under `dir` (hidden ones too), by path relative to it (with `/`), with its bytes. */
export function readTree(dir: string, options: ReadTreeOptions = {}): Record<string, string> {
  const tree: Record<string, string> = {};
  const name = (full: string): string => relative(dir, full).split('\\').join('/');
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) {
        if (options.directories) tree[`${name(full)}/`] = '';
        walk(full);
      } else tree[name(full)] = readFileSync(full).toString(options.encoding ?? 'utf8');
    }
  };
  walk(dir);
  return tree;
}
