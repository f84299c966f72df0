/**
 * Provider payment (docs/payment.md): monthly statements drawn up and closed, advances issued,
 * the prepayment ledger, year-end clearings drafted, approved and reopened. Transactions and
 * audit live here; the arithmetic is core/'s, the SQL repo/'s.
 */
import { appendAudit } from '../audit/index.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { Db, Queryable } from '../db/db.ts';
import { conflict, invalid, notFound, unprocessable } from '../kernel/errors.ts';
import type { PaymentRules, PolicyPack } from '../policy/index.ts';
import { clearInstitution, type InstitutionClearing } from './core/clearing.ts';
import { capitationYears, type CapitationYear } from './core/capitation-report.ts';
import { packageBalance, type PackageBalance } from './core/capitation-balance.ts';
import { ledger, monthlyAdvance, type LedgerRow } from './core/prepayment.ts';
import { aggregateShape, methodFor, resolvePayment, type ResolvedPayment } from './core/rules.ts';
import { buildStatements, type InstitutionStatement } from './core/statement.ts';
import {
  advancesOf,
  aggregateMonth,
  approveClearing,
  closedMonths,
  countResidents,
  findClearings,
  insertAdvances,
  insertClearing,
  insertMonth,
  institutionExists,
  lockCounty,
  settlementWatermark,
  storedLines,
  storedReferrals,
  supersedeClearing,
  type Advance,
  type ClearingRecord,
  type ClosedMonth,
} from './repo/statements.ts';

/** The packs payment reads: the one in force for a county on a date. */
export interface PackChooser {
  choose(regionCode: string, date: string): PolicyPack;
}

/** A pack without payment.yaml: every institution by item (docs/payment.md §1). */
const BY_ITEM: PaymentRules = {
  diagnosisGroups: [],
  classes: [],
  perBedDay: {
    rates: [],
    shortStayDays: param('days', 0),
    longStayDays: param('days', 3_660),
    longStayRatio: param('ratio', 10_000),
  },
  capitation: [],
  outpatientGroups: [],
  globalBudget: {
    budgets: [],
    excludedGroups: [],
    overspendTolerance: param('ratio', 0),
    overspendFundShare: param('ratio', 0),
    underspendRetainedShare: param('ratio', 0),
  },
  prepayment: [],
};

function param<K extends 'days' | 'ratio'>(kind: K, value: number) {
  return {
    kind,
    file: 'payment.yaml',
    key: '',
    line: 0,
    entries: [{ value, from: '0001-01-01', to: null, reference: '', lastReviewed: null, line: 0 }],
  };
}

export interface MonthStatements {
  county: string;
  year: number;
  month: number;
  status: 'open' | 'closed';
  closedAt: string | null;
  residents: Record<string, number>;
  statements: InstitutionStatement[];
}

export interface LedgerAnswer {
  institution: string;
  year: number;
  months: (LedgerRow & { closed: boolean })[];
}

/** A stored row as the statement shows it: the month is the statement's. */
function withoutMonth<T extends { month: number }>(row: T): Omit<T, 'month'> {
  const out: Partial<T> = { ...row };
  delete out.month;
  return out as Omit<T, 'month'>;
}

const pad = (m: number) => String(m).padStart(2, '0');
const monthStart = (y: number, m: number) => `${y}-${pad(m)}-01`;
const nextMonth = (y: number, m: number) =>
  m === 12 ? monthStart(y + 1, 1) : monthStart(y, m + 1);
const key = (y: number, m: number) => y * 12 + m;

export class PaymentService {
  constructor(
    private readonly db: Db,
    private readonly packs: PackChooser,
  ) {}

  /** The county (fund pool) an actor works in; the CLI (system) names it. */
  countyOf(actor: Actor, region?: string | null): string {
    const own = actor.scope.kind === 'system' ? null : actor.scope.regionCode.slice(0, 6);
    const county = own ?? region?.slice(0, 6) ?? null;
    if (!county || !/^\d{6}$/.test(county)) {
      throw invalid(
        'payment.region_required',
        'region',
        '请指定县级行政区划',
        'name the county (region)',
      );
    }
    return county;
  }

  /** The institution an actor is limited to, if any (a designated institution: its own). */
  private own(actor: Actor): string | null {
    return actor.scope.kind === 'institution' ? actor.scope.fixmedinsCode : null;
  }

  private rules(county: string, year: number, month: number): ResolvedPayment {
    const date = monthStart(year, month);
    return resolvePayment(this.packs.choose(county, date).payment ?? BY_ITEM, date);
  }

  private async residents(q: Queryable, p: ResolvedPayment, year: number) {
    const out: Record<string, number> = {};
    for (const k of p.packages) out[k.code] = await countResidents(q, k.area, year);
    return out;
  }

  /** Which months of a year are closed (the pages' month picker). */
  async statementMonths(
    actor: Actor,
    year: number,
    region?: string | null,
  ): Promise<{ month: number; closed: boolean; closedAt: string | null }[]> {
    const county = this.countyOf(actor, region);
    const closed = await closedMonths(this.db, county);
    return Array.from({ length: 12 }, (_, i) => {
      const c = closed.find((x) => x.year === year && x.month === i + 1);
      return { month: i + 1, closed: c !== undefined, closedAt: c?.closedAt ?? null };
    });
  }

  /** A month's statements: the stored ones of a closed month, else drawn up now (a draft). */
  async statements(
    actor: Actor,
    year: number,
    month: number,
    region?: string | null,
  ): Promise<MonthStatements> {
    const county = this.countyOf(actor, region);
    const closed = await closedMonths(this.db, county);
    const done = closed.find((c) => c.year === year && c.month === month);
    const own = this.own(actor);
    if (done) {
      const lines = await storedLines(this.db, county, year, month, own);
      const refs = await storedReferrals(this.db, county, year, month);
      const p = this.rules(county, year, month);
      const statements = new Map<string, InstitutionStatement>();
      for (const l of lines) {
        const s = statements.get(l.institution) ?? {
          institution: l.institution,
          lines: [],
          items: 0,
          owed: 0,
          referrals: [],
        };
        s.lines.push(withoutMonth(l));
        s.items += l.items;
        s.owed += l.owed;
        statements.set(l.institution, s);
      }
      for (const r of refs) {
        const centre = p.packages.find((k) => k.code === r.package)?.institution;
        const s = centre ? statements.get(centre) : undefined;
        s?.referrals.push(withoutMonth(r));
      }
      return {
        county,
        year,
        month,
        status: 'closed',
        closedAt: done.closedAt,
        residents: done.residents,
        statements: [...statements.values()],
      };
    }
    // A transaction of its own, for the aggregate's settings (STATEMENT_SETTINGS).
    const drawn = await this.db.transaction((tx) =>
      this.drawUp(tx, county, year, month, closed, null),
    );
    return {
      county,
      year,
      month,
      status: 'open',
      closedAt: null,
      residents: drawn.residents,
      statements: own ? drawn.statements.filter((s) => s.institution === own) : drawn.statements,
    };
  }

  private async drawUp(
    q: Queryable,
    county: string,
    year: number,
    month: number,
    closed: readonly ClosedMonth[],
    upTo: number | null,
  ) {
    const last = closed[0];
    // Only the next month to close takes what came late for closed months (§7).
    const isNext = last !== undefined && key(year, month) === key(last.year, last.month) + 1;
    const p = this.rules(county, year, month);
    const rows = await aggregateMonth(
      q,
      {
        county,
        start: monthStart(year, month),
        next: nextMonth(year, month),
        upTo,
        adjustAbove: isNext ? last.watermark : null,
        areas: p.packages.map((k) => k.area),
      },
      aggregateShape(p),
      (r) => {
        const m = methodFor(p, r);
        if (m.method === 'per_bed_day') return 'stays';
        const monthly = p.outpatientGroups.some((g) => g.code === m.group && g.per === 'month');
        return m.method === 'outpatient_group' && monthly ? 'patients' : null;
      },
    );
    const residents = await this.residents(q, p, year);
    const statements = buildStatements(p, month, rows, new Map(Object.entries(residents)));
    return { residents, statements };
  }

  /** Closes a month (§7): months close in order, a closed one never changes. */
  async closeMonth(
    actor: Actor,
    year: number,
    month: number,
    region?: string | null,
  ): Promise<MonthStatements> {
    const county = this.countyOf(actor, region);
    await this.db.transaction(async (tx) => {
      await lockCounty(tx, county);
      const closed = await closedMonths(tx, county);
      const last = closed[0];
      if (closed.some((c) => c.year === year && c.month === month)) {
        throw conflict(
          'payment.month_closed',
          'month',
          `${year}年${month}月已结账`,
          `${year}-${pad(month)} is already closed`,
        );
      }
      if (last && key(year, month) !== key(last.year, last.month) + 1) {
        const n = key(last.year, last.month) + 1;
        const ny = Math.floor((n - 1) / 12);
        const nm = n - ny * 12;
        throw unprocessable(
          'payment.month_order',
          'month',
          `按月顺序结账：下一个应结账的是 ${ny}年${nm}月`,
          `months close in order: the next to close is ${ny}-${pad(nm)}`,
        );
      }
      const watermark = await settlementWatermark(tx);
      const drawn = await this.drawUp(tx, county, year, month, closed, watermark);
      const lines = drawn.statements.flatMap((s) => s.lines);
      const referrals = drawn.statements.flatMap((s) =>
        s.referrals.map((r) => ({ ...r, centre: s.institution })),
      );
      await insertMonth(
        tx,
        county,
        { year, month, watermark, residents: drawn.residents },
        actor.id,
        lines,
        referrals,
      );
      await appendAudit(tx, {
        actor,
        action: 'payment.month.close',
        entity: 'payment_month',
        entityId: `${county}:${year}-${pad(month)}`,
        after: {
          watermark,
          residents: drawn.residents,
          institutions: drawn.statements.map((s) => ({
            institution: s.institution,
            items: s.items,
            owed: s.owed,
          })),
        },
      });
    });
    return this.statements(actor, year, month, county);
  }

  /** Issues the month's advances (§6) to every prepaid institution; again, nothing new. */
  async issueAdvances(
    actor: Actor,
    year: number,
    month: number,
    region?: string | null,
  ): Promise<Advance[]> {
    const county = this.countyOf(actor, region);
    const p = this.rules(county, year, month);
    const due = [...p.prepayment].map(([institution, x]) => ({
      month,
      institution,
      amount: monthlyAdvance(x.basisAmount, x.share, month),
    }));
    return this.db.transaction(async (tx) => {
      const written = await insertAdvances(tx, county, year, due, actor.id);
      if (written.length > 0) {
        await appendAudit(tx, {
          actor,
          action: 'payment.advance.issue',
          entity: 'payment_advance',
          entityId: `${county}:${year}-${pad(month)}`,
          after: written,
        });
      }
      return written;
    });
  }

  /**
   * An institution's statement of a month: an empty one when it had no bills; another
   * institution's, to a designated institution, answers as an unregistered one (§9).
   */
  async institutionStatement(
    actor: Actor,
    year: number,
    month: number,
    institution: string,
  ): Promise<MonthStatements> {
    await this.requireInstitution(actor, institution);
    const all = await this.statements(actor, year, month);
    const one = all.statements.find((s) => s.institution === institution) ?? {
      institution,
      lines: [],
      items: 0,
      owed: 0,
      referrals: [],
    };
    return { ...all, statements: [one] };
  }

  private async requireInstitution(actor: Actor, institution: string): Promise<void> {
    const own = this.own(actor);
    if ((own !== null && own !== institution) || !(await institutionExists(this.db, institution))) {
      throw this.noInstitution(institution);
    }
  }

  /** The prepayment ledger of an institution (§6): advances, earned, running balance. */
  async ledger(
    actor: Actor,
    institution: string,
    year: number,
    region?: string | null,
  ): Promise<LedgerAnswer> {
    const county = this.countyOf(actor, region);
    await this.requireInstitution(actor, institution);
    const [advances, lines, closed] = await Promise.all([
      advancesOf(this.db, county, year, institution),
      storedLines(this.db, county, year, null, institution),
      closedMonths(this.db, county),
    ]);
    const months = Array.from({ length: 12 }, (_, i) => i + 1);
    const rows = ledger(
      months.map((m) => ({
        month: m,
        advance: advances.filter((a) => a.month === m).reduce((t, a) => t + a.amount, 0),
        earned: lines.filter((l) => l.month === m).reduce((t, l) => t + l.owed, 0),
      })),
    );
    return {
      institution,
      year,
      months: rows.map((r) => ({
        ...r,
        closed: closed.some((c) => c.year === year && c.month === r.month),
      })),
    };
  }

  private noInstitution(institution: string) {
    return notFound(
      'payment.institution_not_found',
      'fixmedinsCode',
      `没有机构 ${institution} 的结算清单`,
      `no statements of ${institution}`,
    );
  }

  /** Drafts the year's clearing (§8): all twelve months closed, none in force already. */
  async clear(actor: Actor, year: number, region?: string | null): Promise<ClearingRecord> {
    const county = this.countyOf(actor, region);
    const id = await this.db.transaction(async (tx) => {
      await lockCounty(tx, county);
      const current = (await findClearings(tx, county, { year }, null)).find(
        (c) => c.status !== 'superseded',
      );
      if (current) {
        throw conflict(
          'payment.already_cleared',
          'year',
          `${year} 年已清算（清算 ${current.id}）；更正须先重新打开`,
          `${year} is already cleared (clearing ${current.id}); reopen it to correct it`,
        );
      }
      const closed = (await closedMonths(tx, county)).filter((c) => c.year === year);
      if (closed.length < 12) {
        const open = Array.from({ length: 12 }, (_, i) => i + 1).filter(
          (m) => !closed.some((c) => c.month === m),
        );
        throw unprocessable(
          'payment.year_open',
          'year',
          `${year} 年尚有未结账月份：${open.join('、')} 月`,
          `${year} still has open months: ${open.join(', ')}`,
        );
      }
      const p = this.rules(county, year, 12);
      // One connection: the reads run one after the other.
      const lines = await storedLines(tx, county, year, null, null);
      const referrals = await storedReferrals(tx, county, year, null);
      const advances = await advancesOf(tx, county, year, null);
      const residents = await this.residents(tx, p, year);
      const institutions = new Set<string>([
        ...lines.map((l) => l.institution),
        ...p.prepayment.keys(),
        ...p.budgets.keys(),
        ...p.packages.map((k) => k.institution),
      ]);
      const rows: InstitutionClearing[] = [...institutions].sort().map((inst) =>
        clearInstitution(
          p,
          {
            institution: inst,
            lines: lines.filter((l) => l.institution === inst && l.note !== 'package_share'),
            referrals: referrals.filter((r) =>
              p.packages.some((k) => k.code === r.package && k.institution === inst),
            ),
            advances: advances
              .filter((a) => a.institution === inst)
              .reduce((t, a) => t + a.amount, 0),
            prepaid: p.prepayment.has(inst),
            paidMonthly: lines
              .filter((l) => l.institution === inst)
              .reduce((t, l) => t + l.owed, 0),
          },
          new Map(Object.entries(residents)),
        ),
      );
      const cid = await insertClearing(tx, county, year, residents, actor.id, rows);
      await appendAudit(tx, {
        actor,
        action: 'payment.clearing.create',
        entity: 'payment_clearing',
        entityId: String(cid),
        after: {
          year,
          residents,
          institutions: rows.map((r) => ({ institution: r.institution, final: r.final })),
        },
      });
      return cid;
    });
    return this.clearing(actor, id, county);
  }

  async clearing(actor: Actor, id: number, region?: string | null): Promise<ClearingRecord> {
    const county = this.countyOf(actor, region);
    const [c] = await findClearings(this.db, county, { id }, this.own(actor));
    if (!c)
      throw notFound('payment.clearing_not_found', 'id', `没有清算 ${id}`, `no clearing ${id}`);
    return c;
  }

  async clearings(
    actor: Actor,
    year: number | null,
    region?: string | null,
  ): Promise<ClearingRecord[]> {
    const county = this.countyOf(actor, region);
    return findClearings(this.db, county, year === null ? {} : { year }, this.own(actor));
  }

  /**
   * The capitation packages' results year by year (§4), from the approved clearings only: what a
   * county reports after several years of a package. At most ten years at a time.
   */
  async capitationReport(
    actor: Actor,
    from: number,
    to: number,
    region?: string | null,
  ): Promise<{ from: number; to: number; years: CapitationYear[] }> {
    if (to < from || to - from > 9) {
      throw invalid(
        'payment.years_range',
        'to',
        `年度范围应为 ${from} 至其后九年以内：${to}`,
        `the years must run from ${from} to at most nine years later: ${to}`,
      );
    }
    const county = this.countyOf(actor, region);
    const all = await findClearings(this.db, county, {}, this.own(actor));
    const span = all.filter((c) => c.year >= from && c.year <= to);
    return { from, to, years: capitationYears(span, from, to) };
  }

  /**
   * The capitation packages' running balance through a year (§4) from the closed months, with
   * their referrals by treating institution; a designated institution sees its own package only.
   */
  async capitationBalance(
    actor: Actor,
    year: number,
    region?: string | null,
  ): Promise<{ year: number; packages: PackageBalance[] }> {
    const county = this.countyOf(actor, region);
    const own = this.own(actor);
    const p = this.rules(county, year, 1);
    const pkgs = p.packages.filter((k) => own === null || k.institution === own);
    if (pkgs.length === 0) return { year, packages: [] };
    const [closed, lines, referrals] = await Promise.all([
      closedMonths(this.db, county),
      storedLines(this.db, county, year, null, own),
      storedReferrals(this.db, county, year, null),
    ]);
    const months = closed.filter((c) => c.year === year).map((c) => c.month);
    return {
      year,
      packages: pkgs.map((k) => packageBalance(k, months, lines, referrals)),
    };
  }

  /** The bureau approves a drafted clearing (§8). */
  async approve(actor: Actor, id: number, region?: string | null): Promise<ClearingRecord> {
    const county = this.countyOf(actor, region);
    await this.db.transaction(async (tx) => {
      const [c] = await findClearings(tx, county, { id }, null);
      if (!c)
        throw notFound('payment.clearing_not_found', 'id', `没有清算 ${id}`, `no clearing ${id}`);
      if (!(await approveClearing(tx, id, actor.id))) {
        throw conflict(
          'payment.not_draft',
          'id',
          `清算 ${id} 不是待审批状态（${c.status}）`,
          `clearing ${id} is not a draft (${c.status})`,
        );
      }
      await appendAudit(tx, {
        actor,
        action: 'payment.clearing.approve',
        entity: 'payment_clearing',
        entityId: String(id),
        before: { status: c.status },
        after: { status: 'approved' },
      });
    });
    return this.clearing(actor, id, county);
  }

  /** Reopens a cleared year (§8): the clearing is kept, superseded, with the reason. */
  async reopen(
    actor: Actor,
    id: number,
    reason: string,
    region?: string | null,
  ): Promise<ClearingRecord> {
    const county = this.countyOf(actor, region);
    const why = reason.trim();
    if (!why)
      throw invalid(
        'payment.reason_required',
        'reason',
        '重新打开清算须说明原因',
        'a reopening needs a reason',
      );
    await this.db.transaction(async (tx) => {
      const [c] = await findClearings(tx, county, { id }, null);
      if (!c)
        throw notFound('payment.clearing_not_found', 'id', `没有清算 ${id}`, `no clearing ${id}`);
      if (!(await supersedeClearing(tx, id, actor.id, why))) {
        throw conflict(
          'payment.already_reopened',
          'id',
          `清算 ${id} 已被重新打开`,
          `clearing ${id} was already reopened`,
        );
      }
      await appendAudit(tx, {
        actor,
        action: 'payment.clearing.reopen',
        entity: 'payment_clearing',
        entityId: String(id),
        before: { status: c.status },
        after: { status: 'superseded' },
        reason: why,
      });
    });
    return this.clearing(actor, id, county);
  }
}
