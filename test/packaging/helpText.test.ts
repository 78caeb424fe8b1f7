/*
 * Every command's and every flag's summary fits one 80-column line, as core's do: `--help` prints the
 * summary next to the flag, and a longer one wraps. The detail belongs in the flag's description
 * (src/flags/describe.ts). Read through oclif's own command loading, as `sf` loads them.
 */
import { Config } from '@oclif/core';
import { expect } from 'chai';
import { projectRoot } from '../helpers/sfCli.js';

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
