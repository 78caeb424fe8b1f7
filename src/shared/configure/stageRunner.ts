/*
 * Runs configure's stages in order over one plan object. Each stage reads the plan, adds to it, and
 * may hand back how to undo what it changed in the org or on disk. When a stage fails, the undos
 * collected so far run in reverse, so a failed configure leaves the org and project as it found them.
 */

/**
 * What an undo found: nothing returned means it put the change back; `not-needed` that the change
 * had not happened (an undo is registered before its change starts); `left` that someone else has
 * changed the item since, so it was left as it is.
 */
export type UndoFinding = void | { status: 'not-needed' | 'left'; note: string };

/** How to take back one change a stage made. */
export type Undo = {
  /** What is being undone, for the user ("remove permission set assignment for ..."). */
  description: string;
  run: () => Promise<UndoFinding>;
};

export type Stage<Plan> = {
  id: string;
  /** Shown while the stage runs. */
  title: string;
  /** A stage that does not apply to this plan (e.g. preflight without --preflight) is reported as skipped. */
  applies?: (plan: Plan) => boolean;
  /**
   * Does the work and records its results on the plan. Each undo is registered before the change it
   * takes back starts, so a failure or a lost answer in the middle of the stage still undoes it.
   */
  run: (plan: Plan, register: (undo: Undo) => void) => Promise<Undo[] | void>;
};

export type StageStatus = 'succeeded' | 'failed' | 'skipped' | 'not-run';

export type StageOutcome = { id: string; title: string; status: StageStatus; error?: string };

export type RollbackOutcome = { description: string; status: 'undone' | 'not-needed' | 'left' | 'failed'; error?: string; note?: string };

export type StageRunResult = {
  succeeded: boolean;
  stages: StageOutcome[];
  rollback: RollbackOutcome[];
  /** The first stage failure, rethrown by the caller after reporting. */
  error?: Error;
};

/** Progress callbacks, so the runner knows nothing of oclif. */
export type StageListener = {
  /** Every stage of the run, in order, before the first starts (for a display that lists them all). */
  stagesPlanned?: (stages: Array<{ id: string; title: string }>) => void;
  stageStarted?: (stage: { id: string; title: string }) => void;
  stageFinished?: (outcome: StageOutcome) => void;
  rollbackStarted?: (count: number) => void;
  undoFinished?: (outcome: RollbackOutcome) => void;
};

export async function runStages<Plan>(
  plan: Plan,
  stages: Array<Stage<Plan>>,
  listener: StageListener = {},
  options: { rollback: boolean; interrupted?: () => Error | undefined } = { rollback: true }
): Promise<StageRunResult> {
  const outcomes: StageOutcome[] = stages.map((s) => ({ id: s.id, title: s.title, status: 'not-run' }));
  const undos: Undo[] = [];
  listener.stagesPlanned?.(stages.map(({ id, title }) => ({ id, title })));
  for (const [index, stage] of stages.entries()) {
    const outcome = outcomes[index];
    if (stage.applies && !stage.applies(plan)) {
      outcome.status = 'skipped';
      listener.stageFinished?.(outcome);
      continue;
    }
    // An interruption lets the running stage finish, then stops before the next one and undoes.
    const interruption = options.interrupted?.();
    if (interruption) {
      // eslint-disable-next-line no-await-in-loop
      const rollback = options.rollback ? await undoAll(undos, listener) : [];
      return { succeeded: false, stages: outcomes, rollback, error: interruption };
    }
    listener.stageStarted?.(stage);
    try {
      // Stages depend on what earlier stages added to the plan, so they cannot run in parallel.
      // eslint-disable-next-line no-await-in-loop
      const stageUndos = await stage.run(plan, (undo) => undos.push(undo));
      undos.push(...(stageUndos ?? []));
      outcome.status = 'succeeded';
      listener.stageFinished?.(outcome);
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      outcome.status = 'failed';
      outcome.error = error.message;
      listener.stageFinished?.(outcome);
      // eslint-disable-next-line no-await-in-loop
      const rollback = options.rollback ? await undoAll(undos, listener) : [];
      return { succeeded: false, stages: outcomes, rollback, error };
    }
  }
  return { succeeded: true, stages: outcomes, rollback: [] };
}

/** Undo newest first; one failed undo does not stop the others (each is reported). */
async function undoAll(undos: Undo[], listener: StageListener): Promise<RollbackOutcome[]> {
  listener.rollbackStarted?.(undos.length);
  const results: RollbackOutcome[] = [];
  for (const undo of [...undos].reverse()) {
    let result: RollbackOutcome;
    try {
      // Undos touch the same org records in a fixed order; run them one at a time.
      // eslint-disable-next-line no-await-in-loop
      const finding = await undo.run();
      result = finding ? { description: undo.description, status: finding.status, note: finding.note } : { description: undo.description, status: 'undone' };
    } catch (caught) {
      result = { description: undo.description, status: 'failed', error: caught instanceof Error ? caught.message : String(caught) };
    }
    results.push(result);
    listener.undoFinished?.(result);
  }
  return results;
}
