/**
 * Which status changes a row offers, from its state and the account's permissions: the same state
 * machines the API enforces (src/reconcile/ledger/transitions.ts, src/monitoring/status.ts,
 * src/assistance/cards.ts), so the action column never offers a move the API would refuse.
 * Pure, so the rules are tested without a browser.
 */
import { P } from '../permissions.ts';
import type { CardStatus, ProblemState, WarningStatus } from '../api/types.ts';

type Can = (permission: string) => boolean;

// ---- problem ledger (问题台账) -------------------------------------------------------------

export type LedgerAction = 'rectify' | 'verify' | 'close' | 'reopen' | 'comment' | 'assign';

/**
 * A township office rectifies open items and comments; the bureau verifies rectified items,
 * closes (销号) verified ones, reopens any that is not open, and reassigns any not closed.
 */
export function ledgerActions(state: ProblemState, can: Can): LedgerAction[] {
  const out: LedgerAction[] = [];
  const township = can(P.problemUpdate);
  const bureau = can(P.problemVerify);
  if (township && state === 'open') out.push('rectify');
  if (bureau && state === 'rectified') out.push('verify');
  if (bureau && state === 'verified') out.push('close');
  if (bureau && state !== 'open') out.push('reopen');
  if (bureau && state !== 'closed') out.push('assign');
  if (township) out.push('comment');
  return out;
}

// ---- warnings (预警) -------------------------------------------------------------------------

export type WarningAction = 'confirm' | 'dismiss' | 'assist';

/** Civil affairs (monitor:warning:decide) confirm or dismiss a pushed warning, assist a confirmed. */
export function warningActions(status: WarningStatus, can: Can): WarningAction[] {
  if (!can(P.warningDecide)) return [];
  switch (status) {
    case 'pushed':
      return ['confirm', 'dismiss'];
    case 'confirmed':
      return ['assist'];
    case 'new':
    case 'dismissed':
    case 'assisted':
    case 'withdrawn':
      return [];
    default: {
      const never: never = status;
      throw new Error(`unknown warning status ${String(never)}`);
    }
  }
}

// ---- assistance cards (救助卡) ---------------------------------------------------------------

export type CardAction = 'suspend' | 'reinstate' | 'revoke';

export function cardActions(status: CardStatus, can: Can): CardAction[] {
  if (!can(P.programmeUpdate)) return [];
  switch (status) {
    case 'active':
      return ['suspend', 'revoke'];
    case 'suspended':
      return ['reinstate', 'revoke'];
    case 'revoked':
      return [];
    default: {
      const never: never = status;
      throw new Error(`unknown card status ${String(never)}`);
    }
  }
}
