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

/**
 * A read-only file system (EROFS, which chattr's EPERM does not show): an empty tmpfs mounted `ro` at
 * `parent/name`. Needs root with CAP_SYS_ADMIN (CI containers often lack it): then `reason` says why
 * not, and the caller skips loudly with it.
 */
export function createReadOnlyMount(parent: string, name = 'read-only'): { mount?: UnwritableDir; reason?: string } {
  const path = join(parent, name);
  mkdirSync(path, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', path], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(path, { recursive: true, force: true });
    const said = mounted.stderr?.trim() ? mounted.stderr.trim() : undefined;
    return { reason: said ?? mounted.error?.message ?? `mount exited ${String(mounted.status)}` };
  }
  return {
    mount: {
      path,
      release: (): void => {
        spawnSync('umount', [path]);
        rmSync(path, { recursive: true, force: true });
      },
    },
  };
}

/** For a row that needs a read-only file system where none can be mounted. */
export function skipWithoutReadOnlyMount(context: Mocha.Context, reason: string | undefined): never {
  // eslint-disable-next-line no-console
  console.warn(`\n  !!! SKIPPING: no read-only file system here (mount -t tmpfs -o ro: ${reason ?? 'unknown'}); the EROFS row is not checked !!!\n`);
  context.skip();
}
