import { expect } from 'chai';
import { runStages, type Stage } from '../../src/shared/configure/stageRunner.js';

type Plan = { log: string[]; fail?: string; skip?: string };

function stage(id: string, options: { undoFails?: boolean } = {}): Stage<Plan> {
  return {
    id,
    title: `stage ${id}`,
    applies: (plan) => plan.skip !== id,
    run: async (plan) => {
      if (plan.fail === id) throw new Error(`${id} broke`);
      plan.log.push(`do ${id}`);
      return [
        {
          description: `undo ${id}`,
          run: async () => {
            if (options.undoFails) throw new Error(`cannot undo ${id}`);
            plan.log.push(`undo ${id}`);
          },
        },
      ];
    },
  };
}

describe('configure stage runner', () => {
  it('runs every stage in order and adds to one plan', async () => {
    const plan: Plan = { log: [] };
    const result = await runStages(plan, [stage('a'), stage('b'), stage('c')]);
    expect(result.succeeded).to.equal(true);
    expect(plan.log).to.deep.equal(['do a', 'do b', 'do c']);
    expect(result.stages.map((s) => s.status)).to.deep.equal(['succeeded', 'succeeded', 'succeeded']);
  });

  it('on failure undoes what earlier stages changed, newest first, and runs nothing after', async () => {
    const plan: Plan = { log: [], fail: 'c' };
    const result = await runStages(plan, [stage('a'), stage('b'), stage('c'), stage('d')]);
    expect(result.succeeded).to.equal(false);
    expect(result.error?.message).to.equal('c broke');
    expect(plan.log).to.deep.equal(['do a', 'do b', 'undo b', 'undo a']);
    expect(result.stages.map((s) => s.status)).to.deep.equal(['succeeded', 'succeeded', 'failed', 'not-run']);
    expect(result.rollback.map((r) => r.status)).to.deep.equal(['undone', 'undone']);
  });

  it('reports an undo that fails and still runs the rest', async () => {
    const plan: Plan = { log: [], fail: 'c' };
    const result = await runStages(plan, [stage('a'), stage('b', { undoFails: true }), stage('c')]);
    expect(result.rollback).to.deep.equal([
      { description: 'undo b', status: 'failed', error: 'cannot undo b' },
      { description: 'undo a', status: 'undone' },
    ]);
    expect(plan.log).to.deep.equal(['do a', 'do b', 'undo a']);
  });

  it('reports skipped stages and keeps going', async () => {
    const plan: Plan = { log: [], skip: 'b' };
    const result = await runStages(plan, [stage('a'), stage('b'), stage('c')]);
    expect(result.stages.map((s) => s.status)).to.deep.equal(['succeeded', 'skipped', 'succeeded']);
    expect(plan.log).to.deep.equal(['do a', 'do c']);
  });

  it('can leave changes in place when rollback is turned off', async () => {
    const plan: Plan = { log: [], fail: 'b' };
    const result = await runStages(plan, [stage('a'), stage('b')], {}, { rollback: false });
    expect(result.rollback).to.deep.equal([]);
    expect(plan.log).to.deep.equal(['do a']);
  });
});
