/**
 * The problem ledger's state machine (pure). A township office rectifies an open item, saying
 * how (a correction, or an accepted exception such as a signed waiver); the bureau verifies a
 * rectified item and closes (销号) a verified one, or sends it back. Passes move items too
 * (sync-problems.ts): a finding gone rectifies, a second pass verifies, a finding back reopens.
 */
import { conflict } from '../../kernel/errors.ts';
import { PROBLEM_STATE_LABELS, type ProblemState } from '../model.ts';

export const PROBLEM_ACTIONS = [
  'rectify',
  'verify',
  'close',
  'reopen',
  'comment',
  'assign',
] as const;
export type ProblemAction = (typeof PROBLEM_ACTIONS)[number];

/** Which actions the township may take; the rest are the bureau's (reconcile:problem:verify). */
export const TOWNSHIP_ACTIONS: readonly ProblemAction[] = ['rectify', 'comment'];

const FROM: Record<Exclude<ProblemAction, 'comment' | 'assign'>, readonly ProblemState[]> = {
  rectify: ['open'],
  verify: ['rectified'],
  close: ['verified'],
  reopen: ['rectified', 'verified', 'closed'],
};

const TO: Record<Exclude<ProblemAction, 'comment' | 'assign'>, ProblemState> = {
  rectify: 'rectified',
  verify: 'verified',
  close: 'closed',
  reopen: 'open',
};

export function nextState(state: ProblemState, action: ProblemAction): ProblemState {
  if (action === 'comment' || action === 'assign') {
    if (action === 'assign' && state === 'closed') throw refused(state, action);
    return state;
  }
  if (!FROM[action].includes(state)) throw refused(state, action);
  return TO[action];
}

const refused = (state: ProblemState, action: ProblemAction) =>
  conflict(
    'reconcile.problem_state',
    'state',
    `问题状态为「${PROBLEM_STATE_LABELS[state].zh}」，不能执行此操作（${action}）`,
    `the item is ${state}; ${action} is not possible`,
  );
