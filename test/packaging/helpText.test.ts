/*
 * Every command's and every flag's summary fits one 80-column line, as core's do: `--help` prints the
 * summary next to the flag, and a longer one wraps. The detail belongs in the flag's description
 * (src/flags/describe.ts). Read through oclif's own command loading, as `sf` loads them.
 */
import { Config } from '@oclif/core';
import { expect } from 'chai';
import { projectRoot, SfCli } from '../helpers/sfCli.js';

const MAX_SUMMARY = 80;

type Row = { where: string; summary: string | undefined };

const config = await Config.load(projectRoot);
const rows: Row[] = [];
for (const command of config.commands.filter((c) => c.id.startsWith('iamra') && c.pluginName === 'plugin-iamra')) {
  // eslint-disable-next-line no-await-in-loop
  const loaded = await command.load();
  rows.push({ where: command.id, summary: loaded.summary });
  for (const [name, flag] of Object.entries(loaded.flags ?? {})) {
    // core's --api-version has only a description, which help then shows in the summary's place
    if (!flag.hidden) rows.push({ where: `${command.id} --${name}`, summary: flag.summary ?? flag.description });
  }
}

describe('help summaries fit one line', () => {
  it('reads every command (the table is not empty)', () => {
    expect(rows.filter((row) => !row.where.includes(' --')).length).to.be.at.least(12);
  });

  for (const row of rows) {
    it(`${row.where}: a summary of at most ${MAX_SUMMARY} characters`, () => {
      expect(row.summary, `${row.where} has no summary`).to.be.a('string').and.not.equal('');
      expect(row.summary!.length, row.summary).to.be.at.most(MAX_SUMMARY);
    });
  }
});

describe('help sections through the real sf', () => {
  const section = (help: string, header: string): string => {
    const start = help.indexOf(`${header}\n`);
    if (start < 0) return '';
    const rest = help.slice(start + header.length + 1);
    const end = rest.search(/\n[A-Z][A-Z ]+\n/);
    return end < 0 ? rest : rest.slice(0, end);
  };
  const codes = (help: string): string[] => [...section(help, 'ERROR CODES').matchAll(/^ {2}(\d+) /gm)].map((m) => m[1]);

  for (const id of ['configure', 'deploy']) {
    it(`iamra ${id}: ERROR CODES lists what it returns (0, 1, 130), not core's 68 and 69`, () => {
      const help = SfCli.get().runSync(['iamra', id, '--help']);
      expect(help.code, help.stderr).to.equal(0);
      expect(codes(help.stdout)).to.deep.equal(['0', '1', '130']);
      expect(section(help.stdout, 'ERROR CODES')).to.match(/--wait ran out \(the deploy was cancelled\)/);
    });
  }

  it('iamra keystore build: ENVIRONMENT VARIABLES names both secrets', () => {
    const help = SfCli.get().runSync(['iamra', 'keystore', 'build', '--help']);
    expect(help.code, help.stderr).to.equal(0);
    expect(section(help.stdout, 'ENVIRONMENT VARIABLES')).to.match(/IAMRA_KEY_PASSPHRASE[\s\S]*IAMRA_KEYSTORE_PASSWORD/);
  });
});
