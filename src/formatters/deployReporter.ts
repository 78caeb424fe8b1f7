/*
 * How every deploying command shows a deploy (deploy, csr create, csr complete): stage text and
 * component counts on the spinner, warnings, and the component-failure table `sf project deploy start`
 * prints. Commands hand the services `deployReporter(this, ...)` as their progress callbacks.
 */
import { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import type { DeployProgress } from '../shared/org/deploy.js';
import type { ComponentFailure } from '../shared/org/deployStatus.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'deployReporter');

type ReportingCommand = Pick<SfCommand<unknown>, 'spinner' | 'table' | 'warn'>;

export type DeployReporter<Stage extends string> = {
  status: (stage: Stage) => void;
  warn: (message: string) => void;
  deploy: (progress: DeployProgress) => void;
  failures: (failures: ComponentFailure[]) => void;
};

/** `stageText` turns the service's stage into the spinner text (from the command's own messages). */
export function deployReporter<Stage extends string>(command: ReportingCommand, stageText: (stage: Stage) => string): DeployReporter<Stage> {
  const { spinner } = command;
  return {
    status: (stage): void => {
      spinner.status = stageText(stage);
    },
    warn: (message): void => {
      command.warn(message);
    },
    deploy: (p): void => {
      spinner.status = deployProgressText(p);
    },
    failures: (failures): void => printComponentFailures(command, failures),
  };
}

/** "InProgress: 2/3 components, 0 errors", for a spinner. */
export function deployProgressText(p: DeployProgress): string {
  return messages.getMessage('progress', [p.status, p.deployed, p.total, p.errors]);
}

/** Stops the spinner as failed, then rethrows: for a service call's .catch. */
export function failSpinner(command: ReportingCommand): (error: unknown) => never {
  return (error) => {
    command.spinner.stop(messages.getMessage('spinner.failed'));
    throw error;
  };
}

/** The table `sf project deploy start` prints. */
function printComponentFailures(command: ReportingCommand, failures: ComponentFailure[]): void {
  command.spinner.stop(messages.getMessage('spinner.failed'));
  command.table({
    title: messages.getMessage('failures.title', [failures.length]),
    data: failures.map((f) => ({ type: f.type, fullName: f.fullName, problem: f.problem, loc: f.location ?? '' })),
    columns: [
      { key: 'type', name: 'Type' },
      { key: 'fullName', name: 'Name' },
      { key: 'problem', name: 'Problem' },
      { key: 'loc', name: 'Line:Column' },
    ],
    overflow: 'wrap',
  });
}
