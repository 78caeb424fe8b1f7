/*
 * How `sf iamra configure` shows its run: the stages on the stage display (stageDisplay.ts), the plan
 * table between the read and the changes, the rollback line by line once the display has stopped.
 */
import { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import type { ConfigureRequest } from '../shared/configure/plan.js';
import { deployReporter } from './deployReporter.js';
import type { StageDisplay } from './stageDisplay.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.configure');

type ReportingCommand = Pick<SfCommand<unknown>, 'log' | 'table'>;

export function configureListener(command: ReportingCommand, display: StageDisplay): NonNullable<ConfigureRequest['listener']> {
  const deploys = deployReporter(command, display);
  return {
    stagesPlanned: (stages) => display.open(stages),
    plan: (rows) =>
      display.between(() =>
        command.table({
          data: rows.map((r) => ({ item: r.item, name: r.name, now: r.now, wanted: r.wanted, action: r.action })),
          columns: [
            { key: 'item', name: 'Item' },
            { key: 'name', name: 'Name' },
            { key: 'now', name: 'Org now' },
            { key: 'wanted', name: 'Wanted' },
            { key: 'action', name: 'Action' },
          ],
          title: messages.getMessage('plan.title'),
        })
      ),
    stageStarted: (stage) => display.started(stage.id),
    stageFinished: (outcome) => display.finished(outcome.id, outcome.status === 'not-run' ? 'skipped' : outcome.status),
    rollbackStarted: (count): void => {
      // An interruption rolls back between stages, with the display still up.
      display.failed();
      if (count > 0) command.log(messages.getMessage('rollback.started', [count]));
    },
    undoFinished: (undo) =>
      command.log(
        undo.status === 'failed'
          ? messages.getMessage('rollback.failed', [undo.description, undo.error ?? ''])
          : messages.getMessage(`rollback.${undo.status}`, [undo.description, undo.note ?? ''])
      ),
    warn: deploys.warn,
    deployProgress: deploys.deploy,
    deployFailures: deploys.failures,
  };
}
