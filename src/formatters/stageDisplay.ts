/*
 * How every multi-step command shows its progress: the stage display `sf project deploy start`
 * shows (@oclif/multi-stage-output), one stage per step, component counts under a deploying stage.
 * With --json nothing is shown and the library is never loaded. Output the display would garble
 * (warnings, tables) waits for it: warnings are printed when the display stops, a table the service
 * hands over mid-stage (configure's plan) ends the display after that stage, is printed, and a new
 * display takes the stages still to come.
 */
import { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import type { MultiStageOutputOptions, ParallelMultiStageOutput } from '@oclif/multi-stage-output';
import type { DeployProgress } from '../shared/org/deploy.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'stageDisplay');

export type DisplayCommand = Pick<SfCommand<unknown>, 'jsonEnabled' | 'warn'>;

export type StageRef = { id: string; title: string };

export type StageEnd = 'succeeded' | 'failed' | 'skipped';

type Data = { deploys: Record<string, DeployProgress> };

type Mso = ParallelMultiStageOutput<Data>;

type MsoModule = typeof import('@oclif/multi-stage-output');

/** One run's stage display; every method is a no-op with --json. */
export type StageDisplay = {
  /** The stages of the run, in order; shows the display. Call once, before the first stage starts. */
  open: (stages: StageRef[]) => void;
  started: (id: string) => void;
  finished: (id: string, status: StageEnd) => void;
  /** The running stage's deploy: component counts under it. */
  deploy: (progress: DeployProgress) => void;
  /** For a service that only says which step it is on: ends the one before (succeeded) and starts this one. */
  step: (id: string) => void;
  warn: (message: string) => void;
  /** Output to print between stages (a table): after the running stage ends, or at once between stages. */
  between: (print: () => void) => void;
  /** The run ended: the running stage succeeded; stages never reached are shown skipped. */
  done: () => void;
  /** The run failed: the running stage is shown failed. */
  failed: () => void;
  /** The running stage failed and the run goes on to undo it in `id`: shown failed, the display stays. */
  failedThen: (id: string) => void;
};

/**
 * Loads the display library (only when something will be shown: it costs a few hundred ms) and
 * returns the display for `title`. Nothing is drawn until `open`, so prompts may still come first.
 */
export async function stageDisplay(command: DisplayCommand, title: string): Promise<StageDisplay> {
  if (command.jsonEnabled()) return quietDisplay(command);
  return liveDisplay(command, title, await loadMso());
}

/**
 * The library chooses its line-by-line output (each stage on its own lines, counts printed as they
 * change: what a CI log or `| tee` needs) from the CI and DEBUG variables alone, read once as the module
 * loads; anywhere else it redraws the screen with escape sequences, even into a pipe or a file. So a
 * run whose standard output is not a terminal loads it as CI would. MSO_DISABLE_CI_MODE still wins.
 */
async function loadMso(): Promise<MsoModule> {
  const lineMode = !process.stdout.isTTY && !truthy(process.env.CI);
  if (!lineMode) return import('@oclif/multi-stage-output');
  const before = process.env.CI;
  process.env.CI = 'true';
  try {
    return await import('@oclif/multi-stage-output');
  } finally {
    if (before === undefined) delete process.env.CI;
    else process.env.CI = before;
  }
}

const truthy = (value: string | undefined): boolean => value !== undefined && value !== '' && value !== '0' && value !== 'false';

function quietDisplay(command: DisplayCommand): StageDisplay {
  const nothing = (): void => {};
  return {
    open: nothing,
    started: nothing,
    finished: nothing,
    deploy: nothing,
    step: nothing,
    warn: (message) => command.warn(message),
    between: nothing,
    done: nothing,
    failed: nothing,
    failedThen: nothing,
  };
}

type StageState = 'pending' | 'current' | StageEnd;

function liveDisplay(command: DisplayCommand, title: string, mso: MsoModule): StageDisplay {
  let stages: Array<StageRef & { state: StageState }> = [];
  let shown: Mso | undefined;
  let data: Data = { deploys: {} };
  let held: string[] = [];
  let after: Array<() => void> = [];

  const current = (): (typeof stages)[number] | undefined => stages.find((s) => s.state === 'current');
  // Counts only under the stages that deploy: a count line with no value yet is drawn as a spinner that
  // never stops. Which stages deploy shows as they run, so entries are added to the block the display
  // was given (it reads the block at each redraw).
  let block: NonNullable<MultiStageOutputOptions<Data>['stageSpecificBlock']> = [];
  const countsUnder = (stage: string): void => {
    if (block.some((info) => info.stage === stage)) return;
    block.push({
      stage,
      label: messages.getMessage('components'),
      type: 'dynamic-key-value',
      get: (d?: Data): string | undefined => countsText(d?.deploys[stage]),
    });
  };
  const show = (): void => {
    const rest = stages.filter((s) => s.state === 'pending' || s.state === 'current');
    if (rest.length === 0) return;
    block = [];
    shown = new mso.ParallelMultiStageOutput<Data>({ title, stages: rest.map((s) => s.title), jsonEnabled: false, data, stageSpecificBlock: block });
    for (const s of rest) {
      if (data.deploys[s.title]) countsUnder(s.title);
      if (s.state === 'current') shown.startStage(s.title);
    }
  };
  const close = (status: 'completed' | 'failed'): void => {
    shown?.stop(status);
    shown = undefined;
    for (const message of held) command.warn(message);
    held = [];
  };
  const printBetween = (): void => {
    if (after.length === 0) return;
    close('completed');
    for (const print of after) print();
    after = [];
    show();
  };
  // A stage id may come twice in a run (csr create's own check, then complete's): the first not yet reached.
  const next = (id: string): (typeof stages)[number] | undefined => stages.find((s) => s.id === id && s.state === 'pending');
  const start = (id: string): void => {
    const stage = next(id);
    if (!stage) return;
    stage.state = 'current';
    shown?.startStage(stage.title);
  };
  const finish = (id: string, status: StageEnd): void => {
    const stage = stages.find((s) => s.id === id && s.state === 'current') ?? (status === 'skipped' ? next(id) : undefined);
    if (!stage) return;
    stage.state = status;
    if (status === 'succeeded') shown?.stopStage(stage.title, data);
    else shown?.updateStage(stage.title, status, data);
    if (status === 'failed') close('failed');
    else printBetween();
  };
  /** Ends the running stage as `ended` (a failed one without closing the display) and starts `id`. */
  const goTo = (id: string, ended: 'succeeded' | 'failed'): void => {
    const running = current();
    if (running?.id === id) return;
    if (running && ended === 'succeeded') finish(running.id, 'succeeded');
    if (running && ended === 'failed') {
      running.state = 'failed';
      shown?.updateStage(running.title, 'failed', data);
    }
    // Steps the service went past without naming (e.g. no deploy when the org already holds the CSR).
    const target = next(id);
    for (const s of stages) {
      if (s === target) break;
      if (s.state === 'pending') finish(s.id, 'skipped');
    }
    start(id);
  };
  return {
    open: (list): void => {
      stages = list.map((s) => ({ ...s, state: 'pending' }));
      show();
    },
    started: start,
    finished: finish,
    deploy: (progress): void => {
      const stage = current();
      if (!stage) return;
      data = { deploys: { ...data.deploys, [stage.title]: progress } };
      countsUnder(stage.title);
      shown?.updateStage(stage.title, 'current', data);
    },
    step: (id): void => goTo(id, 'succeeded'),
    failedThen: (id): void => goTo(id, 'failed'),
    warn: (message): void => {
      if (shown) held.push(message);
      else command.warn(message);
    },
    between: (print): void => {
      after.push(print);
      if (!current()) printBetween();
    },
    done: (): void => {
      const running = current();
      if (running) finish(running.id, 'succeeded');
      for (const s of stages) if (s.state === 'pending') finish(s.id, 'skipped');
      close('completed');
      for (const print of after) print();
      after = [];
    },
    failed: (): void => {
      const running = current();
      if (running) finish(running.id, 'failed');
      close('failed');
      for (const print of after) print();
      after = [];
    },
  };
}

/** "2/3 (67%)", with the errors when there are any; the deploy id makes each deploy's line its own. */
function countsText(p: DeployProgress | undefined): string | undefined {
  if (!p || p.total === 0) return undefined;
  const percent = Math.round((p.deployed / p.total) * 100);
  const counts = messages.getMessage(p.errors > 0 ? 'counts.errors' : 'counts', [p.deployed, p.total, percent, p.errors]);
  return p.id ? messages.getMessage('counts.deploy', [counts, p.id]) : counts;
}
