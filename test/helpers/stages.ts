/*
 * Reading the stage display's lines as a CI log or a pipe shows them (@oclif/multi-stage-output's
 * line mode): "───── Title ─────", "Stages:" and the numbered list, "▶ Stage…" as one starts,
 * "✔ Stage (1.2s)" / "✘ Stage (1.2s)" as it ends, "◯ Stage - Skipped".
 */
import { expect } from 'chai';

// eslint-disable-next-line no-control-regex
export const ESCAPE = /\u001b\[/;

const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The line that says `stage` ended with `status`. */
export function ended(stage: string, status: 'done' | 'skipped' | 'failed'): RegExp {
  if (status === 'skipped') return new RegExp(`^\\S+ ${literal(stage)} - Skipped$`, 'm');
  return new RegExp(`^${status === 'done' ? '✔' : '✘'} ${literal(stage)} \\(\\d`, 'm');
}

/** The line that says `stage` started. */
export const started = (stage: string): string => `▶ ${stage}…`;

/** The display's title and its numbered list of every stage, in order. */
export function expectStageList(stdout: string, title: string, stages: string[]): void {
  expect(stdout).to.include(`───── ${title} ─────`);
  expect(stdout).to.include(['Stages:', ...stages.map((s, i) => `${i + 1}. ${s}`)].join('\n'));
}
