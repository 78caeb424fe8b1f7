/*
 * A throwaway SFDX project holding the hand-written fixtures (fixtures/valid), for tests that deploy
 * through the real `sf`. Edits replace or remove single files so each rule gets its bad variant.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export type FixtureProject = {
  dir: string;
  /** Folder that holds externalCredentials/, namedCredentials/, permissionsets/, ... */
  source: string;
  read(relative: string): string;
  write(relative: string, content: string): void;
  edit(relative: string, change: (xml: string) => string): void;
  remove(relative: string): void;
  cleanup(): void;
};

export function fixtureProject(options: { sourceApiVersion?: string; fixture?: string } = {}): FixtureProject {
  const dir = mkdtempSync(join(tmpdir(), 'iamra-sim-project-'));
  const source = join(dir, 'force-app', 'main', 'default');
  mkdirSync(source, { recursive: true });
  cpSync(join(fixturesDir, options.fixture ?? 'valid'), source, { recursive: true });
  writeFileSync(
    join(dir, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], namespace: '', sourceApiVersion: options.sourceApiVersion ?? '62.0' }, null, 2)
  );
  const file = (relative: string): string => join(source, relative);
  return {
    dir,
    source,
    read: (relative) => readFileSync(file(relative), 'utf8'),
    write: (relative, content) => {
      mkdirSync(dirname(file(relative)), { recursive: true });
      writeFileSync(file(relative), content);
    },
    edit(relative, change) {
      this.write(relative, change(this.read(relative)));
    },
    remove: (relative) => rmSync(file(relative)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
