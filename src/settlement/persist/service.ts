/**
 * The persistent settlement (一站式结算): pre-settle, settle, cancel and queries for registered
 * people. One transaction per settlement: lock the person's accumulator row for the year, compute
 * with the pure calculator, write the settlement, its ledger and the accumulator change in one
 * statement, commit. The settlement row is its own audit entry, a link in the person-year's hash
 * chain whose head is the accumulator row (audit-chain.ts).
 *
 * Idempotent by client message id: the msgid is checked after the lock, so a repeat that raced
 * the first request waits for it and then answers with the first answer; nothing pays twice.
 *
 * An actor settles only people in its own data scope. A designated institution's scope is the
 * people it has treated or registered a visit for — a first-time patient comes through the national
 * gateway's visit registration (2201/2401, the ID card read at the window) — so a hospital cannot
 * pull any resident of the county into its scope with a settlement.
 */
import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import { conflict, notFound, unprocessable } from '../../kernel/errors.ts';
import { medicalYear } from '../../kernel/period.ts';
import { emptyAccumulators, subtractDelta, type Accumulators } from '../accumulators.ts';
import { negatedDelta } from '../accumulator-replay.ts';
import { calculate, type Settlement, type SettlementAmounts } from '../calculate.ts';
import type { Bill } from '../bill.ts';
import { requireCost, type RequestBill } from '../bill-read.ts';
import {
  coverageRefusal,
  refusalError,
  twoDiseaseOf,
  type CoverageEvidence,
  type CoverageSpan,
} from '../coverage.ts';
import {
  checksCoverage,
  findDisease,
  resolveCoverage,
  type PolicyPack,
} from '../../policy/index.ts';
import { AMOUNT_FIELDS } from '../trial-answer.ts';
import type { PackCatalog } from './packs.ts';
import { ResolvedCache } from './resolved-cache.ts';
import { requireReason, type SettleRequest } from './request.ts';
import { recordStay } from './stay.ts';
import {
  findById,
  findByMsgid,
  insertSettlement,
  insertSettlementIfCurrent,
  isMsgidRace,
  openForSettlement,
  lockAccumulators,
  personForBill,
  personName,
  personOnDate,
  readAccumulators,
  readForSettlement,
  type BillFacts,
  type BillKeys,
  type NewSettlement,
  type PersonOnDate,
  type SettlementRow,
} from './repository.ts';
import { toView, type SettlementView } from './view.ts';
import type { AuditActor } from './audit-chain.ts';
import { buildOneBill, type OneBill, type OneBillDisease } from '../one-bill/document.ts';
import type { PostTierStep } from '../post-tier.ts';
import { inFreePeriod, postTierRules, waiverCandidates, waiverStep } from '../post-tier-rules.ts';
import { waiverStart } from './waiver.ts';

export interface PresettleAnswer {
  pack: string;
  categories: string[];
  settlement: Settlement;
}

export class SettlementService {
  private readonly resolved = new ResolvedCache();

  constructor(
    private readonly db: Db,
    private readonly packs: PackCatalog,
  ) {}

  /** Computes what a settlement would pay now; writes nothing. */
  async presettle(actor: Actor, given: SettleRequest): Promise<PresettleAnswer> {
    const req = forInstitution(actor, given);
    requireCost(req.bill, 'bill');
    const read = await personForBill(this.db, actor.scope, req.certno, req.bill.date, keysOf(req));
    if (!read) throw personMissing(req.certno);
    const bill = billAt(req, read.facts);
    const person = checkAlive(read.person, bill.date);
    const year = medicalYear(bill.date);
    const acc = (await readAccumulators(this.db, req.certno, year)) ?? emptyAccumulators(year);
    const steps = await this.postTier(this.db, person, bill, req);
    const { pack, settlement } = this.compute(person, bill, acc, read.facts, steps);
    return { pack, categories: person.categories, settlement };
  }

  async settle(actor: Actor, given: SettleRequest): Promise<SettlementView> {
    const req = forInstitution(actor, given);
    requireCost(req.bill, 'bill');
    const msgid = req.msgid;
    if (!msgid) {
      throw unprocessable(
        'settlement.msgid_required',
        'msgid',
        '结算必须带报文ID',
        'a settlement needs a msgid',
      );
    }
    try {
      const view =
        (await this.settleOptimistic(actor, req, msgid)) ??
        (await this.db.transaction((tx) => this.settleIn(tx, actor, req, msgid)));
      // The stay's dates sit beside the row (docs/payment.md §3); a repeat keeps the first ones.
      if (req.stay && view.kind === 'settle') {
        await recordStay(this.db, req.certno, view.settlementId, req.stay);
      }
      return view;
    } catch (e) {
      // A repeat that raced its first request: both passed the look-up, the first committed.
      if (!isMsgidRace(e)) throw e;
      const first = await findByMsgid(this.db, req.certno, msgid);
      if (!first) throw e;
      return repeatFor(actor, first, msgid);
    }
  }

  /**
   * The usual path, two round trips and no transaction: read the person, their accumulators and
   * the row's version; compute; write everything (settlement, ledger, spending, accumulators
   * and the audit chain's head) in one statement that applies only if the version still holds.
   * Null when another settlement or cancel of the same person came between: then the locked path
   * re-does it.
   */
  private async settleOptimistic(
    actor: Actor,
    req: SettleRequest,
    msgid: string,
  ): Promise<SettlementView | null> {
    const year = medicalYear(req.bill.date);
    const read = await readForSettlement(
      this.db,
      actor.scope,
      req.certno,
      req.bill.date,
      msgid,
      emptyAccumulators(year),
      keysOf(req),
    );
    if (!read) throw personMissing(req.certno);
    if (read.existingId !== null) {
      return repeatFor(actor, (await findByMsgid(this.db, req.certno, msgid))!, msgid);
    }
    const bill = billAt(req, read.facts);
    const person = checkAlive(read.person, bill.date);
    const steps = await this.postTier(this.db, person, bill, req);
    const computed = this.compute(person, bill, read.acc, read.facts, steps);
    const written = await insertSettlementIfCurrent(
      this.db,
      newSettlement(actor, req, bill, msgid, person, computed, read),
      { version: read.version, treated: read.treated },
    );
    return written ? toView(written) : null;
  }

  /** The locked path: the accumulator row is held from the read to COMMIT. */
  private async settleIn(
    tx: Queryable,
    actor: Actor,
    req: SettleRequest,
    msgid: string,
  ): Promise<SettlementView> {
    const year = medicalYear(req.bill.date);
    const opened = await openForSettlement(
      tx,
      actor.scope,
      req.certno,
      req.bill.date,
      msgid,
      emptyAccumulators(year),
      keysOf(req),
    );
    if (!opened) throw personMissing(req.certno);
    if (opened.existingId !== null) {
      return repeatFor(actor, (await findByMsgid(tx, req.certno, msgid))!, msgid);
    }
    const bill = billAt(req, opened.facts);
    const person = checkAlive(opened.person, bill.date);
    const steps = await this.postTier(tx, person, bill, req);
    const computed = this.compute(person, bill, opened.acc, opened.facts, steps);
    const written = await insertSettlement(
      tx,
      newSettlement(actor, req, bill, msgid, person, computed, opened),
    );
    return toView(written);
  }

  /**
   * Cancels (冲销) a settlement: writes a mirror with every amount negated and subtracts exactly
   * what the original added to every accumulator. Later settlements are not re-computed.
   */
  async cancel(actor: Actor, id: number, msgid: string, given: string): Promise<SettlementView> {
    // The cancellation is its own audit entry, and a cancellation must say why.
    const reason = requireReason(given);
    return this.db.transaction(async (tx) => {
      const original = await findById(tx, actor.scope, id);
      if (!original || !ownedBy(actor, original)) throw this.missing(id);
      const locked = await lockAccumulators(
        tx,
        original.certno,
        original.year,
        emptyAccumulators(original.year),
      );
      const first = await findByMsgid(tx, original.certno, msgid);
      if (first) {
        if (first.kind === 'cancel' && first.original_id === id)
          return repeatFor(actor, first, msgid);
        throw msgidReused(msgid);
      }
      // Re-read under the accumulator lock: a concurrent cancel may have just committed.
      const current = (await findById(tx, actor.scope, id))!;
      if (current.kind === 'cancel') {
        throw conflict(
          'settlement.not_cancellable',
          'id',
          '撤销记录不能再撤销',
          'a cancellation cannot be cancelled',
        );
      }
      if (current.cancelled_by !== null) {
        throw conflict(
          'settlement.already_cancelled',
          'id',
          `结算 ${id} 已于结算 ${current.cancelled_by} 撤销`,
          `settlement ${id} was already cancelled by ${current.cancelled_by}`,
        );
      }
      const next = subtractDelta(locked.acc, current.delta);
      const written = await insertSettlement(tx, {
        settlementId: locked.nextId,
        certno: current.certno,
        year: current.year,
        msgid,
        kind: 'cancel',
        originalId: id,
        fixmedinsCode: current.fixmedins_code,
        regionCode: current.region_code,
        bill: billOf(current),
        pack: current.pack,
        categories: current.categories,
        amounts: negate(current),
        backstopProgramme: current.backstop_programme,
        explain: current.explain,
        postTier: current.post_tier ?? [],
        delta: negatedDelta(current.delta),
        next,
        actor: auditActor(actor),
        reason,
        at: new Date().toISOString(),
        auditHead: locked.auditHead,
      });
      return toView(written);
    });
  }

  async get(actor: Actor, id: number): Promise<SettlementView> {
    return toView(await this.row(actor, id));
  }

  async row(actor: Actor, id: number): Promise<SettlementRow> {
    const row = await findById(this.db, actor.scope, id);
    if (!row || !ownedBy(actor, row)) throw this.missing(id);
    return row;
  }

  /** The one bill of a settlement, as data for the HTML and PDF renderers. */
  async oneBill(actor: Actor, id: number): Promise<OneBill> {
    const row = await this.row(actor, id);
    return buildOneBill(row, await personName(this.db, row.certno), actor, this.diseaseOf(row));
  }

  /**
   * The disease a chronic or two-diseases settlement was paid for: the catalogue disease of its
   * diagnosis in its pack (the certificate it was checked against), or the two disease it is filed
   * for. Null for other visits.
   */
  private diseaseOf(row: SettlementRow): OneBillDisease | null {
    if (row.visit_type === 'two_diseases') {
      const which = twoDiseaseOf(row.diagnosis);
      if (which === null) return null;
      return {
        code: '',
        name: which === 'hypertension' ? '高血压（两病备案）' : '糖尿病（两病备案）',
        severeMental: false,
      };
    }
    if (row.visit_type !== 'chronic_outpatient') return null;
    const pack = this.packs.byName(row.pack);
    const d = pack && findDisease(pack, row.diagnosis, row.bill_date);
    return d ? { code: d.code, name: d.name.zh, severeMental: d.severeMental } : null;
  }

  async accumulators(actor: Actor, certno: string, year: number): Promise<Accumulators> {
    const person = await personOnDate(this.db, actor.scope, certno, `${year}-12-31`);
    if (!person) throw personMissing(certno);
    return (await readAccumulators(this.db, certno, year)) ?? emptyAccumulators(year);
  }

  /**
   * Settles the bill with the pack of the person's county on its date, after the checks of who a
   * chronic or two-diseases bill is paid for (docs/chronic.md §3): a refused bill is a 422 and
   * nothing is computed, so nothing can be written.
   */
  /**
   * The post-tier steps of the bill (docs/settlement.md §9): the pack's hospital-waiver rules it
   * falls under, within the free period counted from the person's first waived bill. Reads the
   * database only for a bill a rule names (its institution, visit type and a category).
   */
  private async postTier(
    q: Queryable,
    person: PersonOnDate,
    bill: Bill,
    req: SettleRequest,
  ): Promise<PostTierStep[]> {
    const pack = this.packs.choose(person.regionCode, bill.date);
    const rules = postTierRules(pack.dir);
    const candidates = waiverCandidates(rules, {
      date: bill.date,
      visitType: bill.visitType,
      fixmedinsCode: req.fixmedinsCode,
      categories: person.categories,
      channel: req.channel ?? null,
    });
    const steps: PostTierStep[] = [];
    for (const rule of candidates) {
      // Free drugs are for those not in the free inpatient treatment (the other rule's period).
      const during = rules.hospitalWaiver.find((r) => r.code === rule.notDuring);
      if (during) {
        const since = await waiverStart(q, req.certno, during.programme, during.visitTypes);
        if (inFreePeriod(during, bill.date, since)) continue;
      }
      const start =
        rule.days === null
          ? null
          : await waiverStart(q, req.certno, rule.programme, rule.visitTypes);
      const step = waiverStep(rule, bill.date, start);
      if (step) steps.push(step);
    }
    return steps;
  }

  private compute(
    person: PersonOnDate,
    bill: Bill,
    acc: Accumulators,
    facts: BillFacts,
    steps: readonly PostTierStep[] = [],
  ): Computed {
    const pack = this.packs.choose(person.regionCode, bill.date);
    const params = this.resolved.resolve(pack, {
      date: bill.date,
      visitType: bill.visitType,
      hospitalLevel: bill.hospitalLevel,
      diagnosis: bill.diagnosis,
      remote: bill.remote,
      categories: person.categories,
    });
    const refused = coverageRefusal(params, bill, evidenceOf(pack, bill, facts), 'bill');
    if (refused) throw refusalError(refused);
    return { pack: params.pack, settlement: calculate(params, bill, acc, steps) };
  }

  private missing(id: number) {
    return notFound('settlement.not_found', 'id', `没有结算 ${id}`, `no settlement ${id}`);
  }
}

/** What the calculator answered for a settlement, with the pack it used. */
interface Computed {
  pack: string;
  settlement: Settlement;
}

/**
 * The rows a settlement writes, from the request, what was computed, and the id and audit chain
 * head its read (optimistic) or lock drew.
 */
function newSettlement(
  actor: Actor,
  req: SettleRequest,
  bill: Bill,
  msgid: string,
  person: PersonOnDate,
  { pack, settlement }: Computed,
  { nextId, auditHead }: { nextId: number; auditHead: string },
): NewSettlement {
  return {
    settlementId: nextId,
    certno: req.certno,
    year: medicalYear(bill.date),
    msgid,
    kind: 'settle',
    originalId: null,
    fixmedinsCode: req.fixmedinsCode,
    regionCode: person.regionCode,
    bill,
    pack,
    categories: person.categories,
    amounts: settlement.amounts,
    backstopProgramme: settlement.backstopProgramme,
    explain: settlement.explain,
    postTier: settlement.postTier,
    delta: settlement.delta,
    next: settlement.next,
    actor: auditActor(actor),
    reason: null,
    at: new Date().toISOString(),
    auditHead,
  };
}

/** The actor as the settlement's audit entry records them. */
const auditActor = (actor: Actor): AuditActor => ({
  id: actor.id,
  name: actor.name,
  roles: actor.roles,
  origin: actor.origin,
});

/**
 * A repeated msgid gets the first answer only when the same client sent it: the same institution,
 * or for everyone else the same account. Anyone else learns only that the id is taken, never
 * another institution's settlement.
 */
function repeatFor(actor: Actor, first: SettlementRow, msgid: string): SettlementView {
  const sameClient =
    actor.scope.kind === 'institution'
      ? first.fixmedins_code === actor.scope.fixmedinsCode
      : first.actor_id === actor.id;
  if (!sameClient) throw msgidReused(msgid);
  return toView(first);
}

const msgidReused = (msgid: string) =>
  conflict(
    'settlement.msgid_reused',
    'msgid',
    `报文ID ${msgid} 已用于其他交易`,
    `msgid ${msgid} was already used for another transaction`,
  );

/**
 * Every bill names the institution it is settled for, since the institution's registered level is
 * the bill's: an institution settles for itself (its code is the bill's, no other is accepted);
 * anyone else — the bureau's window, a batch of records — names it.
 */
function forInstitution(actor: Actor, req: SettleRequest): SettleRequest {
  if (actor.scope.kind !== 'institution') {
    if (req.fixmedinsCode === null || req.fixmedinsCode.trim() === '') {
      throw unprocessable(
        'settlement.institution_required',
        'fixmedinsCode',
        '结算须写明定点医药机构编号（医院等级取自登记的机构）',
        'a settlement names its designated institution (fixmedinsCode): the hospital level is the registered one',
      );
    }
    return req;
  }
  const own = actor.scope.fixmedinsCode;
  if (req.fixmedinsCode !== null && req.fixmedinsCode !== own) {
    throw unprocessable(
      'settlement.institution_mismatch',
      'fixmedinsCode',
      `机构编号 ${req.fixmedinsCode} 与登录机构 ${own} 不一致`,
      `fixmedinsCode ${req.fixmedinsCode} is not the signed-in institution ${own}`,
    );
  }
  return { ...req, fixmedinsCode: own };
}

/** An institution sees and cancels only its own settlements, even of people it shares. */
const ownedBy = (actor: Actor, row: SettlementRow): boolean =>
  actor.scope.kind !== 'institution' || row.fixmedins_code === actor.scope.fixmedinsCode;

/**
 * Bills are settled only for a person with benefits on the bill date: enrolled in resident
 * insurance for that year (a green channel from its enrolment day), and not dated after a death.
 */
function checkAlive(person: PersonOnDate, date: string): PersonOnDate {
  if (!person.enrolled) {
    throw unprocessable(
      'settlement.not_enrolled',
      'bill.date',
      `参保人 ${date.slice(0, 4)} 年度未参加城乡居民医保，或 ${date} 不在待遇享受期内`,
      `the person has no resident insurance benefits on ${date} (not enrolled for ${date.slice(0, 4)}, or outside the benefit period)`,
    );
  }
  if (person.status === 'deceased' && person.deathDate !== null && person.deathDate < date) {
    throw unprocessable(
      'settlement.person_deceased',
      'bill.date',
      `参保人已于 ${person.deathDate} 死亡，晚于死亡日期的费用不能结算`,
      `the person died on ${person.deathDate}; bills dated after that cannot be settled`,
    );
  }
  return person;
}

/** The look-ups a bill needs along with its person (repository billFacts). */
const keysOf = (req: SettleRequest): BillKeys => ({
  fixmedinsCode: req.fixmedinsCode,
  visitType: req.bill.visitType,
  itemCodes: [
    ...new Set(req.bill.lines.flatMap((l) => (l.itemCode === undefined ? [] : [l.itemCode]))),
  ],
});

/**
 * The bill at the level of its registered institution (docs/settlement.md §8): an institution
 * that is not registered is a 422 naming `fixmedinsCode`, and a level the request gives must be
 * that level.
 */
function billAt(req: SettleRequest, facts: BillFacts): Bill {
  const level = facts.hospitalLevel;
  if (level === null) {
    throw unprocessable(
      'settlement.institution_unknown',
      'fixmedinsCode',
      `定点医药机构 ${req.fixmedinsCode} 未登记医院等级，不能结算（triguard catalogue institution）`,
      `institution ${req.fixmedinsCode} is not registered with its hospital level; register it first (triguard catalogue institution)`,
    );
  }
  const given: RequestBill = req.bill;
  if (given.hospitalLevel !== null && given.hospitalLevel !== level) {
    throw unprocessable(
      'settlement.hospital_level_mismatch',
      'bill.hospitalLevel',
      `医院等级 ${given.hospitalLevel} 与定点医药机构 ${req.fixmedinsCode} 登记的等级 ${level} 不一致`,
      `hospital level ${given.hospitalLevel} is not the level ${level} institution ${req.fixmedinsCode} is registered with`,
    );
  }
  return { ...given, hospitalLevel: level };
}

/**
 * What the registry says of who the bill is paid for, as the checks of docs/chronic.md §3 take it.
 * Before the pack's switch-on date (coverage.yaml `checked_from`, §5) certificates and filings are
 * not checked — the catalogue, level, days, drug-list and refill checks always are.
 */
function evidenceOf(pack: PolicyPack, bill: Bill, facts: BillFacts): CoverageEvidence {
  if (bill.visitType !== 'chronic_outpatient' && bill.visitType !== 'two_diseases') return {};
  const coverage = resolveCoverage(pack, bill.date);
  const checked = checksCoverage(coverage, bill.date);
  // The read kept only what holds on the bill date: a span of that day says as much.
  const spans = (diseases: string[] | null): CoverageSpan[] | undefined =>
    checked && diseases !== null
      ? diseases.map((disease) => ({ disease, from: bill.date, to: bill.date }))
      : undefined;
  return {
    certificates: spans(facts.certificates),
    filings: spans(facts.filings),
    drugs:
      bill.visitType === 'two_diseases'
        ? {
            listed: new Set(facts.listed ?? []),
            last: facts.lastPrescriptions ?? new Map(),
            refillToleranceDays: coverage.refillToleranceDays.value,
          }
        : undefined,
  };
}

const personMissing = (certno: string) =>
  notFound(
    'person.not_found',
    'certno',
    `查无此参保人：${certno.slice(0, 6)}…`,
    'no such insured person',
  );

function billOf(row: SettlementRow): Bill {
  return {
    date: row.bill_date,
    visitType: row.visit_type,
    hospitalLevel: row.hospital_level,
    diagnosis: row.diagnosis,
    remote: row.remote,
    lines: row.lines,
  };
}

/** The mirror's amounts: every amount negated (0 stays 0, not -0). */
function negate(row: SettlementRow): SettlementAmounts {
  const out: SettlementAmounts = Object.fromEntries(
    AMOUNT_FIELDS.map((k) => [k, 0 - row[k] || 0]),
  ) as Record<(typeof AMOUNT_FIELDS)[number], number>;
  // The hospital's waiver is given back with the rest (docs/settlement.md §9).
  if (row.hosp_part_amt) out.hosp_part_amt = 0 - row.hosp_part_amt;
  return out;
}
