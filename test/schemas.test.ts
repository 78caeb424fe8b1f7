/*
 * The --json result schemas in schemas/ are a contract admins script against: regenerate them from
 * the commands' TypeScript result types (as `npm run schemas:generate` does) and fail on any drift.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { projectRoot } from './helpers/sfCli.js';

describe('--json result schemas', function () {
  // The generator walks every result type with the TypeScript compiler: minutes on a loaded 2-core machine.
  this.timeout(600_000);
  it('schemas/ matches what the commands return (run npm run schemas:generate after changing a result type)', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'iamra-schemas-'));
    try {
      // bin/dev.js loads the dev plugins (plugin-command-snapshot's schema generator).
      const dev = ['--loader', 'ts-node/esm', '--no-warnings', join(projectRoot, 'bin', 'dev.js')];
      execFileSync(process.execPath, [...dev, 'schema', 'generate', '--filepath', fresh], {
        cwd: projectRoot,
        stdio: 'pipe',
      });
      const committed = readdirSync(join(projectRoot, 'schemas')).sort();
      expect(readdirSync(fresh).sort()).to.deep.equal(committed);
      for (const file of committed) {
        const want = JSON.parse(readFileSync(join(fresh, file), 'utf8')) as unknown;
        const have = JSON.parse(readFileSync(join(projectRoot, 'schemas', file), 'utf8')) as unknown;
        expect(have, `schemas/${file} is out of date`).to.deep.equal(want);
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
