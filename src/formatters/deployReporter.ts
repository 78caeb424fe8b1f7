/*
 * How every deploying command shows a deploy (deploy, csr create, csr complete): its steps and
 * component counts on the stage display (stageDisplay.ts), warnings, and the component-failure table
 * `sf project deploy start` prints. Commands hand the services `deployReporter(this, display)` as their
 * progress callbacks.
 */
import { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import type { DeployProgress } from '../shared/org/deploy.js';
import type { ComponentFailure } from '../shared/org/deployStatus.js';
import type { StageDisplay, StageRef } from './stageDisplay.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'deployReporter');

type ReportingCommand = Pick<SfCommand<unknown>, 'table'>;

export type DeployReporter<Stage extends string> = {
  status: (stage: Stage) => void;
  warn: (message: string) => void;
  deploy: (progress: DeployProgress) => void;
  failures: (failures: ComponentFailure[]) => void;
};

/** The service names each step as it starts; the display ends the one before. */
export function deployReporter<Stage extends string>(command: ReportingCommand, display: StageDisplay): DeployReporter<Stage> {
  return {
    status: (stage): void => display.step(stage),
    warn: (message): void => display.warn(message),
    deploy: (p): void => display.deploy(p),
    failures: (failures): void => {
      display.failed();
      printComponentFailures(command, failures);
    },
  };
}

/** The command's steps as display stages, titled from the command's own messages (`stage.<id>`). */
export function stagesOf(ids: readonly string[], title: (id: string) => string): StageRef[] {
  return ids.map((id) => ({ id, title: title(id) }));
}

/** Stops the display as failed, then rethrows: for a service call's .catch. */
export function failDisplay(display: StageDisplay): (error: unknown) => never {
  return (error) => {
    display.failed();
    throw error;
  };
}

/** The table `sf project deploy start` prints. */
function printComponentFailures(command: ReportingCommand, failures: ComponentFailure[]): void {
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
