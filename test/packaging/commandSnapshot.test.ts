/*
 * command-snapshot.json holds every command's flags and their short chars; `snapshot:compare` (the
 * @oclif/plugin-command-snapshot devPlugin, as Salesforce's plugins run it) fails when a flag an admin's
 * script uses is renamed or removed. Regenerate deliberately with `./bin/dev.js snapshot:generate`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../helpers/sfCli.js';
import { tempDir } from '../helpers/tempProject.js';

type SnapshotEntry = { command: string; flags: string[]; flagChars: string[] };

function compare(args: string[] = []): { code: number; out: string } {
  const run = spawnSync(
    process.execPath,
    ['--loader', 'ts-node/esm', '--no-warnings', join(projectRoot, 'bin', 'dev.js'), 'snapshot:compare', ...args],
    { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }
  );
  return { code: run.status ?? 1, out: `${run.stdout}${run.stderr}` };
}

describe('command snapshot', () => {
  const temp = tempDir('iamra-snapshot-');
  after(() => temp.cleanup());

  it('the committed command-snapshot.json matches the commands', () => {
    const run = compare();
    expect(run.code, run.out).to.equal(0);
  });

  it('a renamed flag is caught (the compare can fail)', () => {
    const snapshot = JSON.parse(readFileSync(join(projectRoot, 'command-snapshot.json'), 'utf8')) as SnapshotEntry[];
    const build = snapshot.find((entry) => entry.command === 'iamra:keystore:build')!;
    build.flags = build.flags.map((flag) => (flag === 'private-key' ? 'key' : flag));
    const altered = join(temp.dir, 'command-snapshot.json');
    writeFileSync(altered, JSON.stringify(snapshot, null, 4));
    const run = compare(['--filepath', altered]);
    expect(run.code, run.out).to.not.equal(0);
    expect(run.out).to.include('private-key');
  });
});
