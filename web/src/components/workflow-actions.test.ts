import { describe, expect, it } from 'vitest';
import { cardActions, ledgerActions, warningActions } from './workflow-actions.ts';
import { ROLE_PERMISSIONS, type Role } from '../../../src/kernel/access/roles.ts';
import { canApply } from '../../../src/monitoring/status.ts';
import { nextState } from '../../../src/reconcile/ledger/transitions.ts';
import type { ProblemState } from '../api/types.ts';

const canOf = (role: Role) => {
  const held = new Set<string>(ROLE_PERMISSIONS[role]);
  return (p: string) => held.has(p);
};
const STATES: ProblemState[] = ['open', 'rectified', 'verified', 'closed'];

describe('problem ledger action column', () => {
  it('offers a township office rectify on open items, and comments', () => {
    const can = canOf('township_office');
    expect(ledgerActions('open', can)).toEqual(['rectify', 'comment']);
    expect(ledgerActions('rectified', can)).toEqual(['comment']);
    expect(ledgerActions('closed', can)).toEqual(['comment']);
  });

  it('offers the bureau verify, close (销号), reopen and assign by state', () => {
    const can = canOf('bureau_staff');
    expect(ledgerActions('open', can)).toEqual(['rectify', 'assign', 'comment']);
    expect(ledgerActions('rectified', can)).toEqual(['verify', 'reopen', 'assign', 'comment']);
    expect(ledgerActions('verified', can)).toEqual(['close', 'reopen', 'assign', 'comment']);
    expect(ledgerActions('closed', can)).toEqual(['reopen', 'comment']);
  });

  it('offers readers nothing', () => {
    for (const s of STATES) {
      expect(ledgerActions(s, canOf('auditor'))).toEqual([]);
      expect(ledgerActions(s, canOf('civil_affairs'))).toEqual([]);
    }
  });

  it('never offers a move the API state machine refuses', () => {
    const can = canOf('bureau_admin');
    for (const s of STATES) {
      for (const a of ledgerActions(s, can)) expect(() => nextState(s, a)).not.toThrow();
    }
  });
});

describe('warning decisions', () => {
  it('lets civil affairs confirm or dismiss a pushed warning and assist a confirmed one', () => {
    const can = canOf('civil_affairs');
    expect(warningActions('pushed', can)).toEqual(['confirm', 'dismiss']);
    expect(warningActions('confirmed', can)).toEqual(['assist']);
    for (const s of ['new', 'dismissed', 'assisted', 'withdrawn'] as const) {
      expect(warningActions(s, can)).toEqual([]);
    }
    for (const s of ['new', 'pushed', 'confirmed', 'dismissed', 'assisted', 'withdrawn'] as const) {
      for (const a of warningActions(s, can)) expect(canApply(a, s)).toBe(true);
    }
  });

  it('gives bureau staff (who push) no decision', () => {
    expect(warningActions('pushed', canOf('bureau_staff'))).toEqual([]);
  });
});

describe('card actions', () => {
  it('follows the card lifecycle for staff, and offers readers nothing', () => {
    const can = canOf('bureau_staff');
    expect(cardActions('active', can)).toEqual(['suspend', 'revoke']);
    expect(cardActions('suspended', can)).toEqual(['reinstate', 'revoke']);
    expect(cardActions('revoked', can)).toEqual([]);
    expect(cardActions('active', canOf('township_office'))).toEqual([]);
  });
});
