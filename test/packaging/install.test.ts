/*
 * What a user installs: `npm pack`, then `sf plugins install` of that tarball into a fresh HOME with the
 * real sf. Every command's --help and a keystore build must run with nothing on stderr. Slow (one pack,
 * one install), so everything is checked on that single install.
 *
 * Offline: `npm install` of a tarball resolves the plugin's dependency ranges, which needs registry
 * metadata that `npm ci` never caches. The test gives sf's plugin directory a lockfile holding this
 * checkout's production dependencies (same versions, same integrity hashes) and runs npm with
 * `offline`, so every package comes from the local npm cache that `npm ci` filled. A user online gets
 * the newest versions in those ranges instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { PASSPHRASE, pki as fixture, STOREPASS } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tempProject.js';
import { opens } from '../keystore/verifiers.js';
import { projectRoot, SfCli, type SfRun, STACK_TRACE } from '../helpers/sfCli.js';

const npmCli = join(projectRoot, 'node_modules', 'npm', 'bin', 'npm-cli.js');

type PackedFile = { path: string };
type PackResult = { filename: string; files: PackedFile[] };
type LockEntry = { [key: string]: unknown; dev?: boolean; link?: boolean };

function npm(args: string[], env: NodeJS.ProcessEnv = process.env): { code: number; stdout: string; stderr: string } {
  const out = spawnSync(process.execPath, [npmCli, ...args], { cwd: projectRoot, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: out.status ?? 1, stdout: out.stdout, stderr: out.stderr };
}

/** The production part of this checkout's lockfile, rooted at sf's plugin directory. */
function productionLockfile(rootName: string): unknown {
  const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packages: Record<string, unknown> = { '': { name: rootName } };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.startsWith('node_modules/') && !entry.dev && !entry.link) packages[path] = entry;
  }
  return { name: rootName, lockfileVersion: 3, requires: true, packages };
}

describe('the packed plugin, installed by sf into a fresh HOME', function () {
  this.timeout(20 * 60 * 1000);
  const temp = tempDir();
  let packed: PackResult;
  let sf: SfCli;
  let commandIds: string[];
  const sfRun = (args: string[], env: NodeJS.ProcessEnv = {}): SfRun => sf.runSync(args, { cwd: temp.dir, env });

  before(() => {
    const pack = npm(['pack', '--pack-destination', temp.dir, '--json']);
    expect(pack.code, pack.stderr).to.equal(0);
    // prepack's `oclif manifest` prints a line before npm's JSON
    packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as PackResult[])[0];
    const tarball = join(temp.dir, packed.filename);
    const url = pathToFileURL(tarball).href;

    sf = SfCli.fresh();
    mkdirSync(sf.configDir, { recursive: true });
    // sf's documented allow-list for plugins installed from a URL (no signature prompt)
    writeFileSync(join(sf.configDir, 'unsignedPluginAllowList.json'), JSON.stringify([url]));
    mkdirSync(sf.dataDir, { recursive: true });
    writeFileSync(join(sf.dataDir, 'package-lock.json'), JSON.stringify(productionLockfile('@salesforce/cli')));
    const cache = npm(['config', 'get', 'cache']).stdout.trim();
    const install = sfRun(['plugins', 'install', url], {
      ['npm_config_cache']: cache,
      ['npm_config_offline']: 'true',
      ['npm_config_update_notifier']: 'false',
    });
    expect(install.code, install.stderr).to.equal(0);
    // sf's own progress line goes to stderr; nothing else may (e.g. "the prepare script did not produce all the expected files")
    expect(install.stderr).to.not.match(/warning|error/i);
    const manifest = JSON.parse(readFileSync(join(sf.dataDir, 'node_modules', 'plugin-iamra', 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, unknown>;
    };
    commandIds = Object.keys(manifest.commands).sort();
  });
  after(() => temp.cleanup());

  it('packs LICENSE and the manifest, no source maps or declarations, and leaves no manifest in the checkout', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).to.include.members(['LICENSE', 'oclif.manifest.json', 'package.json', 'scripts/apex/get-caller-identity.apex']);
    expect(paths.filter((p) => /\.(js\.map|d\.ts)$/.test(p))).to.deep.equal([]);
    expect(paths.filter((p) => p.startsWith('src/') || p.startsWith('test/'))).to.deep.equal([]);
    expect(readFileSync(join(projectRoot, 'LICENSE'), 'utf8')).to.match(/Apache License\s+Version 2\.0, January 2004/);
    // postpack: a linked checkout must not keep serving the packed (soon stale) manifest
    expect(existsSync(join(projectRoot, 'oclif.manifest.json'))).to.equal(false);
  });

  it('every command answers --help with nothing on stderr', () => {
    expect(commandIds).to.include.members(['iamra:keystore:build', 'iamra:configure', 'iamra:smoke']);
    for (const id of commandIds) {
      const run = sfRun([...id.split(':'), '--help']);
      expect(run.code, `${id}: ${run.stderr}`).to.equal(0);
      expect(run.stderr, id).to.equal('');
      expect(run.stdout, id).to.include('USAGE').and.include(`$ sf ${id.replace(/:/g, ' ')}`);
    }
  });

  it('a linked checkout (sf plugins link) runs any sf command without the linked-ESM warning', () => {
    // oclif transpiles a linked ESM plugin when it has tsx as a devDependency, and warns otherwise
    const run = SfCli.get().runSync(['version']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.equal('');
  });

  it('builds a keystore with nothing on stderr', () => {
    const output = join(temp.dir, 'installed.jks');
    const run = sfRun(
      [
        'iamra', 'keystore', 'build',
        '--certificate', fixture('example', 'certificate.pem'),
        '--private-key', fixture('example', 'private_key.pem'),
        '--chain', fixture('example', 'certificate_chain.pem'),
        '--output', output,
      ],
      { IAMRA_KEY_PASSPHRASE: PASSPHRASE, IAMRA_KEYSTORE_PASSWORD: STOREPASS }
    );
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.equal('');
    expect(run.stdout).to.not.match(STACK_TRACE);
    expect(opens(output, STOREPASS)).to.equal(true);
  });
});
