/*
 * How `sf iamra doctor` shows its checks: one row per check (status, check, what was found), then
 * the fix and details of every check that did not pass, then the counts.
 */
import { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import type { DoctorResult } from '../shared/doctor/types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.doctor');

type PrintingCommand = Pick<SfCommand<unknown>, 'table' | 'log' | 'logSuccess'>;

export function printDoctorResult(command: PrintingCommand, result: DoctorResult, org: string): void {
  command.table({
    title: messages.getMessage('table.title', [org]),
    data: result.checks.map((c) => ({ status: c.status.toUpperCase(), check: c.id, result: c.message })),
    columns: ['status', 'check', 'result'],
  });
  for (const c of result.checks.filter((x) => x.fix.length > 0 || (x.status !== 'pass' && x.details.length > 0))) {
    command.log(`\n${c.status.toUpperCase()} ${c.id}: ${c.message}`);
    for (const line of c.details) command.log(`  · ${line}`);
    for (const line of c.fix) command.log(`  → ${line.replace(/^- /, '')}`);
  }
  const { pass, warn, fail, skip } = result.summary;
  command.log('');
  if (result.passed) command.logSuccess(messages.getMessage('summary.passed', [String(pass), String(warn), String(skip)]));
  else command.log(messages.getMessage('summary.failed', [String(fail), String(warn), String(pass), String(skip)]));
}
