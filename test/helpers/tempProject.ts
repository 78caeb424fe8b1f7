/* Temporary directories and SFDX projects for tests; each comes with its cleanup. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lifecycle, SfProject } from '@salesforce/core';

export type TempDir = { dir: string; cleanup: () => void };

/** What tempDir made and nobody cleaned up yet: removed when the test process exits, so a run leaves nothing in /tmp. */
const leftover = new Set<string>();
process.once('exit', () => {
  for (const dir of leftover) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // an immutable directory a failed test did not release: nothing more to do at exit
    }
  }
});

export function tempDir(prefix = 'iamra-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  leftover.add(dir);
  return {
    dir,
    cleanup: (): void => {
      rmSync(dir, { recursive: true, force: true });
      leftover.delete(dir);
    },
  };
}

export type ProjectOptions = {
  prefix?: string;
  /** Default: one package directory, force-app, the default. Each is created. */
  packageDirectories?: Array<{ path: string; default: boolean }>;
  /** Default '62.0'; null leaves sourceApiVersion out. */
  sourceApiVersion?: string | null;
};

/** A throwaway SFDX project: sfdx-project.json and its (empty) package directories. */
export function tempProject(options: ProjectOptions = {}): TempDir {
  const temp = tempDir(options.prefix ?? 'iamra-project-');
  const packageDirectories = options.packageDirectories ?? [{ path: 'force-app', default: true }];
  const sourceApiVersion = options.sourceApiVersion === undefined ? '62.0' : options.sourceApiVersion ?? undefined;
  for (const packageDir of packageDirectories) mkdirSync(join(temp.dir, packageDir.path), { recursive: true });
  writeFileSync(join(temp.dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories, namespace: '', sourceApiVersion }));
  return temp;
}

/**
 * tempProject() resolved in-process as an SfProject. Use it with a production-type simulator: source
 * tracking keeps per-process singletons keyed by org id (all simulators share one) and resolves paths
 * from the working directory, which suits one sf process per command, not one test process for many
 * orgs; tracking is covered through the real sf instead. cleanup() also drops Lifecycle listeners and
 * SfProject instances so one test cannot leak into the next.
 */
export async function resolvedTempProject(options: ProjectOptions = {}): Promise<TempDir & { project: SfProject }> {
  const temp = tempProject({ prefix: 'iamra-org-svc-', ...options });
  const project = await SfProject.resolve(temp.dir);
  return {
    dir: temp.dir,
    project,
    cleanup: () => {
      for (const event of ['scopedPreDeploy', 'scopedPostDeploy', 'scopedPreRetrieve', 'scopedPostRetrieve']) {
        Lifecycle.getInstance().removeAllListeners(event);
      }
      SfProject.clearInstances();
      temp.cleanup();
    },
  };
}
