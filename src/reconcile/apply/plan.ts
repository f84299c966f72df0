/**
 * What applying a pass's findings does to one person (pure): each finding whose action changes
 * the registry is turned into the registry rules' own changes — recordDeath, markMissing, endFlag,
 * addFlagChanges, decideRefund — against the record as the earlier steps leave it. A finding the
 * registry already satisfies gives no step, which is what makes applying twice change nothing; a
 * rule that refuses (a death date in the future, a flag that would overlap) gives a skip with the
 * rule's reason.
 */
import { isTriguardError, type Message } from '../../kernel/errors.ts';
import { addMonths, monthOf, type IsoDate, type Month } from '../../kernel/period.ts';
import type { Category } from '../../policy/index.ts';
import {
  flagHolds,
  KEY_CATEGORIES,
  type PersonRecord,
  type VersionStamp,
  applyChanges,
  type Change,
  recordDeath,
  addFlagChanges,
  endFlag,
  markMissing,
  decideRefund,
} from '../../registry/index.ts';
import type { FindingKind } from '../model.ts';

export interface ApplicableFinding {
  findingKey: string;
  kind: FindingKind;
  category: Category | null;
  detail: Record<string, unknown>;
}

export interface PlanContext {
  year: number;
  refMonth: Month;
  today: IsoDate;
  refundCutoff: IsoDate;
  /** Evidence number written on flags the reconciliation adds, e.g. `RC3-2`. */
  evidenceNo: string;
}

export interface PlannedStep {
  findingKey: string;
  kind: FindingKind;
  /** The registry's audit action for these changes. */
  action: string;
  changes: Change[];
}

export interface SkippedFinding {
  findingKey: string;
  kind: FindingKind;
  reason: Message;
}

export interface PersonPlan {
  steps: PlannedStep[];
  skipped: SkippedFinding[];
  after: PersonRecord;
}

/** Deaths first (they end everything), then missing, flag ends, new flags, refunds. */
const ORDER: Record<FindingKind, number> = {
  ended: 0,
  missing: 1,
  not_flagged: 2,
  contribution_paid: 3,
  other_county: 9,
  employee: 9,
  identity_mismatch: 9,
  no_contribution: 9,
  flagged_absent: 9,
};

const STAMP: VersionStamp = { version: 0, updatedAt: '', updatedBy: 'plan', changeReason: null };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function planPerson(
  rec: PersonRecord,
  findings: readonly ApplicableFinding[],
  ctx: PlanContext,
): PersonPlan {
  let cur = rec;
  const steps: PlannedStep[] = [];
  const skipped: SkippedFinding[] = [];
  const rank = (f: ApplicableFinding) => ORDER[f.kind] * 2 + (f.detail.reason === 'death' ? 0 : 1);
  const sorted = [...findings].sort((a, b) => rank(a) - rank(b));
  for (const f of sorted) {
    const step = (action: string, changes: Change[]) => {
      if (changes.length === 0) return;
      steps.push({ findingKey: f.findingKey, kind: f.kind, action, changes });
      cur = applyChanges(cur, changes, STAMP);
    };
    try {
      switch (f.kind) {
        case 'ended':
          endedStep(cur, f, ctx, step);
          break;
        case 'missing':
          if (cur.person.status === 'alive') {
            const since = str(f.detail.since) ?? ctx.today;
            step('registry.person.missing', markMissing(cur.person, since, true, ctx.today));
          }
          break;
        case 'not_flagged':
          notFlaggedSteps(cur, f, ctx, step, () => cur);
          break;
        case 'contribution_paid':
          refundStep(cur, ctx, step);
          break;
        case 'other_county':
        case 'employee':
        case 'identity_mismatch':
        case 'no_contribution':
        case 'flagged_absent':
          break;
        default: {
          const never: never = f.kind;
          throw new Error(`unknown finding kind ${String(never)}`);
        }
      }
    } catch (e) {
      if (!isTriguardError(e)) throw e;
      skipped.push({ findingKey: f.findingKey, kind: f.kind, reason: e.messages });
    }
  }
  return { steps, skipped, after: cur };
}

type Step = (action: string, changes: Change[]) => void;

function endedStep(cur: PersonRecord, f: ApplicableFinding, ctx: PlanContext, step: Step): void {
  if (cur.person.status === 'deceased') return;
  if (f.detail.reason === 'death') {
    const date = str(f.detail.date);
    if (date) step('registry.person.death', recordDeath(cur, date, ctx.today));
    return;
  }
  const month = str(f.detail.month);
  const reason = f.detail.reason === 'exit' ? 'exit' : 'cancellation';
  if (!month || !f.category) return;
  for (const flag of cur.flags) {
    const open = flag.endReason === null && (flag.toMonth === null || flag.toMonth > month);
    if (flag.category === f.category && open && flag.fromMonth <= month) {
      step(`registry.flag.${reason}`, endFlag(flag, month, reason));
    }
  }
}

function refundStep(cur: PersonRecord, ctx: PlanContext, step: Step): void {
  const { changes } = decideRefund(cur, {
    year: ctx.year,
    today: ctx.today,
    cutoff: ctx.refundCutoff,
  });
  step('registry.enrolment.refund', changes);
}

function notFlaggedSteps(
  rec: PersonRecord,
  f: ApplicableFinding,
  ctx: PlanContext,
  step: Step,
  current: () => PersonRecord,
): void {
  const category = f.category;
  if (!category || rec.person.status === 'deceased') return;
  const holds = rec.flags.some((x) => x.category === category && flagHolds(x, ctx.refMonth));
  if (!holds) {
    const recognisedOn = str(f.detail.recognisedOn);
    step(
      'registry.flag.create',
      addFlagChanges(
        rec,
        {
          category,
          fromMonth: flagStart(rec, category, recognisedOn, ctx),
          toMonth: null,
          source: str(f.detail.source),
          evidenceNo: ctx.evidenceNo,
          recognisedOn: recognisedOn && recognisedOn <= ctx.today ? recognisedOn : null,
        },
        ctx.today,
      ),
    );
  }
  // The fee exemption (a refund, or a fee-exempt enrolment through the green channel).
  if (KEY_CATEGORIES.includes(category)) refundStep(current(), ctx, step);
}

/**
 * The first month of an added flag: the month recognised, not before the campaign's year, not
 * after the reference month, and after any earlier flag of the category (no overlap).
 */
function flagStart(
  rec: PersonRecord,
  category: Category,
  recognisedOn: IsoDate | null,
  ctx: PlanContext,
): Month {
  let from = recognisedOn ? monthOf(recognisedOn) : ctx.refMonth;
  if (from < `${ctx.year}-01`) from = `${ctx.year}-01`;
  if (from > ctx.refMonth) from = ctx.refMonth;
  for (const x of rec.flags) {
    if (x.category === category && x.toMonth !== null && x.toMonth >= from) {
      from = addMonths(x.toMonth, 1);
    }
  }
  return from;
}
