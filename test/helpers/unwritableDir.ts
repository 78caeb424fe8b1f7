/*
 * A directory nobody can create files in, root included (tests run as root here, and root ignores
 * file modes): `chattr +i` makes it immutable. Where chattr is missing or the file system has no such
 * attribute, `create` returns undefined and the caller skips loudly.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export type UnwritableDir = { path: string; release: () => void };

export function createUnwritableDir(parent: string, name = 'immutable'): UnwritableDir | undefined {
  const path = join(parent, name);
  mkdirSync(path, { recursive: true });
  if (spawnSync('chattr', ['+i', path]).status !== 0) {
    rmSync(path, { recursive: true, force: true });
    return undefined;
  }
  return {
    path,
    release: (): void => {
      spawnSync('chattr', ['-i', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** For a row that needs an unwritable directory where none can be made. */
export function skipWithoutUnwritableDir(context: Mocha.Context): never {
  // eslint-disable-next-line no-console
  console.warn('\n  !!! SKIPPING: no unwritable directory here (chattr +i unavailable); the read-only row is not checked !!!\n');
  context.skip();
}
