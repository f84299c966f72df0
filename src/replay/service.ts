/**
 * Policy replay (政策模拟, docs/replay.md): a draft pack replayed over a county's settled bills of a
 * year, as a job with progress that can be cancelled, one at a time per county; results kept until
 * deleted; any person's bills explained under both packs side by side.
 *
 * The replay reads settlements and writes only its own row: the settlement tables, accumulators and
 * the registry are never touched.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Db } from '../db/db.ts';
import type { Actor } from '../kernel/access/actor.ts';
import { certnoFor, maskCategories, maskDiagnosis } from '../kernel/access/masking.ts';
import { conflict, isTriguardError, notFound, unprocessable } from '../kernel/errors.ts';
import {
  findDisease,
  isPackError,
  loadPack,
  resolvePackWide,
  runPackTests,
  VISIT_TYPES,
  CATEGORIES,
  type LoadOptions,
  type PolicyPack,
} from '../policy/index.ts';
import {
  explainJson,
  postTierRules,
  ResolvedCache,
  TierExplanation,
  type PackCatalog,
} from '../settlement/index.ts';
import { appendAudit } from '../audit/index.ts';
import { ReplayAggregate, type ReplayResult, type WarningLine } from './core/aggregate.ts';
import { replayPerson, type Amounts, type DraftRules, type StoredBill } from './core/person.ts';
import {
  lastSettlementId,
  peopleBills,
  personBills,
  regionNames,
  countPeople,
  hasBills,
  type BillSelection,
} from './repo/bills.ts';
import { certnoOfSettlement, personInScope, storedExplain } from './repo/person.ts';
import {
  askCancel,
  deleteRun,
  failStale,
  findRun,
  finishRun,
  insertRun,
  listRuns,
  recordProgress,
  recordTotal,
  type ReplayFilters,
  type Run,
  type RunSummary,
} from './repo/runs.ts';

export interface ReplayRequest {
  pack: string;
  year: number;
  region?: string | undefined;
  category?: string | undefined;
  visitType?: string | undefined;
}

/** What a person-year's replay shows (§4): every bill, paid and explained both ways. */
export interface PersonExplanation {
  certno: string;
  year: number;
  pack: string;
  hadCancellation: boolean;
  bills: {
    settlementId: number;
    date: string;
    visitType: string;
    diagnosis: string;
    pack: string;
    actual: Amounts;
    draft: Amounts;
    refused: { code: string; message: { zh: string; en: string } } | null;
    actualExplain: ReturnType<typeof explainJson>[];
    draftExplain: ReturnType<typeof explainJson>[];
  }[];
}

/** Called after each batch of people; the replay waits for what it returns. */
export type ProgressListener = (done: number, total: number) => void | Promise<void>;

const BATCH = 5_000;

export class ReplayService {
  private readonly running = new Map<number, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly packs: PackCatalog,
    opts: { packs?: LoadOptions; batch?: number } = {},
  ) {
    this.packOptions = opts.packs ?? {};
    this.batch = opts.batch ?? BATCH;
  }

  /** Where drafts are read from (the repository's policies/ unless a test says otherwise). */
  private readonly packOptions: LoadOptions;
  /** Bills read per query. */
  private readonly batch: number;

  /**
   * Checks the request and starts the replay; answers at once with its row. `wait`: the caller
   * (the CLI, a test) awaits the whole replay, with progress.
   */
  async start(
    actor: Actor,
    req: ReplayRequest,
    opts: { wait?: boolean; onProgress?: ProgressListener } = {},
  ): Promise<RunSummary> {
    const draft = await this.checkedPack(actor, req.pack);
    const county = draft.region;
    const region = req.region ?? county;
    if (!region.startsWith(county)) {
      throw unprocessable(
        'replay.region_outside_pack',
        'region',
        `区划 ${region} 不在政策包 ${draft.name} 的区划 ${county} 内`,
        `region ${region} is not inside ${county}, the region of ${draft.name}`,
      );
    }
    if (!within(actor, region)) throw runNotFound('region');
    if (req.category !== undefined && !(CATEGORIES as readonly string[]).includes(req.category)) {
      throw unprocessable(
        'replay.bad_category',
        'category',
        `未知的身份类别 ${req.category}`,
        `unknown category ${req.category}`,
      );
    }
    if (
      req.visitType !== undefined &&
      !(VISIT_TYPES as readonly string[]).includes(req.visitType)
    ) {
      throw unprocessable(
        'replay.bad_visit_type',
        'visitType',
        `未知的就诊类型 ${req.visitType}`,
        `unknown visit type ${req.visitType}`,
      );
    }
    const cutoff = await lastSettlementId(this.db);
    const sel: BillSelection = { region, year: req.year, cutoff };
    if (!(await hasBills(this.db, sel))) {
      throw unprocessable(
        'replay.no_bills',
        'year',
        `${region} 在 ${req.year} 年度没有已结算（未撤销）的单据，无可模拟`,
        `${region} has no settled (uncancelled) bills in ${req.year}: nothing to replay`,
      );
    }
    const filters: ReplayFilters = {
      ...(req.region !== undefined ? { region: req.region } : {}),
      ...(req.category !== undefined ? { category: req.category } : {}),
      ...(req.visitType !== undefined ? { visitType: req.visitType } : {}),
    };
    const packHash = await packDigest(draft.dir);
    const id = await this.db.transaction(async (tx) => {
      await failStale(tx, county);
      const id = await insertRun(tx, {
        region: county,
        year: req.year,
        pack: draft.name,
        packHash,
        filters,
        cutoff,
        totalPeople: 0,
        actualPacks: [],
        createdBy: actor.id,
      });
      // A replay reads a county's bills in bulk: who did it, and over what, is on the record.
      await appendAudit(tx, {
        actor,
        action: 'replay.start',
        entity: 'replay_run',
        entityId: String(id),
        after: { pack: draft.name, packHash, year: req.year, filters, cutoff },
      });
      return id;
    });
    const job = this.execute(id, draft, sel, filters, opts.onProgress).finally(() =>
      this.running.delete(id),
    );
    this.running.set(id, job);
    if (opts.wait) await job;
    return (await findRun(this.db, id, ''))!;
  }

  /** Awaits every replay this process is running (shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  private async execute(
    id: number,
    draft: PolicyPack,
    sel: BillSelection,
    filters: ReplayFilters,
    onProgress?: ProgressListener,
  ): Promise<void> {
    let done = 0;
    // The number of people, for the progress bar, is counted while the first batches replay.
    let total = 0;
    const counted = countPeople(this.db, sel).then(async (n) => {
      total = n;
      await recordTotal(this.db, id, n);
    });
    counted.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    const packsSeen = new Set<string>();
    try {
      const rules = this.rulesOf(draft);
      const lines = this.linesOf(draft, sel.year);
      const agg = new ReplayAggregate();
      const counts = (b: StoredBill) =>
        (filters.category === undefined || b.categories.includes(filters.category as never)) &&
        (filters.visitType === undefined || b.bill.visitType === filters.visitType);
      for await (const people of peopleBills(this.db, sel, this.batch)) {
        for (const bills of people) {
          const outcome = replayPerson(bills, rules);
          const last = bills[bills.length - 1]!;
          for (const b of bills) packsSeen.add(b.pack);
          agg.add(outcome, { actual: lines.actual(last.pack), draft: lines.draft }, counts);
        }
        done += people.length;
        await onProgress?.(done, Math.max(total, done));
        if (await recordProgress(this.db, id, done)) {
          await counted;
          await finishRun(this.db, id, { status: 'cancelled', done, packs: [...packsSeen].sort() });
          return;
        }
        // Let the server answer requests between batches.
        await new Promise((r) => setImmediate(r));
      }
      await counted;
      const result = agg.result();
      result.regionNames = await regionNames(this.db, Object.keys(result.byTownship));
      await finishRun(this.db, id, { status: 'done', result, done, packs: [...packsSeen].sort() });
    } catch (e) {
      const message = isTriguardError(e)
        ? e.messages
        : {
            zh: `模拟失败：${(e as Error).message}`,
            en: `the replay failed: ${(e as Error).message}`,
          };
      await counted.catch(() => undefined);
      await finishRun(this.db, id, {
        status: 'failed',
        error: { code: isTriguardError(e) ? e.code : 'replay.failed', message },
      }).catch(() => undefined);
      // The run's row holds the failure; a background job has nobody to throw to.
    }
  }

  /** The draft as the calculator uses it, with the parameter cache settlement uses. */
  private rulesOf(draft: PolicyPack): DraftRules {
    const cache = new ResolvedCache();
    const diseases = new Map<string, string | null>();
    return {
      resolve: (ctx) => cache.resolve(draft, ctx),
      postTier: postTierRules(draft.dir),
      certificateOf: (b) => {
        const key = `${b.pack}|${b.bill.diagnosis}|${b.bill.date}`;
        let code = diseases.get(key);
        if (code === undefined) {
          const pack = this.packs.byName(b.pack);
          code = pack ? (findDisease(pack, b.bill.diagnosis, b.bill.date)?.code ?? null) : null;
          diseases.set(key, code);
        }
        return code;
      },
    };
  }

  /** The warning lines of the year's end: under each pack the bills used, and under the draft. */
  private linesOf(draft: PolicyPack, year: number) {
    const end = `${year}-12-31`;
    const lineOf = (p: PolicyPack): WarningLine => warningLine(p, end);
    const byPack = new Map<string, WarningLine>();
    const draftLine = lineOf(draft);
    return {
      draft: draftLine,
      actual: (name: string): WarningLine => {
        let l = byPack.get(name);
        if (!l) {
          const pack = this.packs.byName(name);
          // A pack no longer shipped: its bills are compared with the draft's line.
          l = pack ? lineOf(pack) : draftLine;
          byPack.set(name, l);
        }
        return l;
      },
    };
  }

  /** Loads the pack and runs `policy check` on it: a pack that fails it is not replayed (§1). */
  private async checkedPack(actor: Actor, name: string): Promise<PolicyPack> {
    let pack: PolicyPack;
    try {
      pack = await loadPack(name, this.packOptions);
    } catch (e) {
      if (isPackError(e)) {
        throw unprocessable(
          'replay.pack_invalid',
          'pack',
          `政策包 ${name} 未通过检查（triguard policy check ${name}）：${e.problems.length} 处错误`,
          `pack ${name} fails its check (triguard policy check ${name}): ${e.problems.length} problems`,
        );
      }
      throw e;
    }
    if (!within(actor, pack.region)) throw runNotFound('pack');
    const report = await runPackTests(pack);
    if (report.failures.length > 0 || report.problems.length > 0) {
      throw unprocessable(
        'replay.pack_invalid',
        'pack',
        `政策包 ${name} 的用例未通过（triguard policy check ${name}）`,
        `the pack tests of ${name} fail (triguard policy check ${name})`,
      );
    }
    try {
      postTierRules(pack.dir);
    } catch {
      throw unprocessable(
        'replay.pack_invalid',
        'pack',
        `政策包 ${name} 的 post_tier.yaml 有误`,
        `post_tier.yaml of ${name} is malformed`,
      );
    }
    return pack;
  }

  async list(actor: Actor): Promise<RunSummary[]> {
    return listRuns(this.db, regionOf(actor));
  }

  async get(actor: Actor, id: number): Promise<Run> {
    const run = await findRun(this.db, id, regionOf(actor));
    if (!run) throw runNotFound('id');
    return { ...run, result: run.result ? masked(actor, run.result) : null };
  }

  async cancel(actor: Actor, id: number): Promise<RunSummary> {
    const run = await this.get(actor, id);
    if (run.status !== 'running') {
      throw conflict(
        'replay.not_running',
        'id',
        `模拟 ${id} 未在运行`,
        `replay ${id} is not running`,
      );
    }
    await askCancel(this.db, id);
    return (await findRun(this.db, id, ''))!;
  }

  async remove(actor: Actor, id: number): Promise<void> {
    const run = await this.get(actor, id);
    if (run.status === 'running') {
      throw conflict(
        'replay.running',
        'id',
        `模拟 ${id} 正在运行，请先取消`,
        `replay ${id} is running: cancel it first`,
      );
    }
    await this.db.transaction(async (tx) => {
      await deleteRun(tx, id);
      await appendAudit(tx, {
        actor,
        action: 'replay.delete',
        entity: 'replay_run',
        entityId: String(id),
        before: { pack: run.pack, year: run.year, filters: run.filters, status: run.status },
      });
    });
  }

  /**
   * A person's bills of the replay, each paid and explained under the pack it was settled with
   * and under the draft (§4). Replayed again from the same stored facts up to the same cut-off;
   * refused when the draft's files changed since the replay ran.
   */
  async explain(
    actor: Actor,
    id: number,
    who: { certno: string } | { settlementId: number },
  ): Promise<PersonExplanation> {
    const run = await this.get(actor, id);
    if (run.status !== 'done') {
      throw conflict(
        'replay.not_done',
        'id',
        `模拟 ${id} 尚未完成`,
        `replay ${id} has not finished`,
      );
    }
    const certno =
      'certno' in who
        ? (await personInScope(this.db, actor.scope, who.certno))
          ? who.certno
          : null
        : await certnoOfSettlement(this.db, actor.scope, who.settlementId);
    if (certno === null) throw personMissing();
    const draft = await loadPack(run.pack, this.packOptions).catch(() => null);
    if (!draft || (await packDigest(draft.dir)) !== run.packHash) {
      throw conflict(
        'replay.pack_changed',
        'id',
        `政策包 ${run.pack} 在模拟后已修改或删除，请重新模拟`,
        `pack ${run.pack} changed or was removed after this replay ran: run it again`,
      );
    }
    const sel: BillSelection = {
      region: run.filters.region ?? run.region,
      year: run.year,
      cutoff: run.cutoff,
    };
    const bills = await personBills(this.db, sel, certno);
    if (bills.length === 0) throw personMissing();
    const outcome = replayPerson(bills, this.rulesOf(draft));
    const stored = await storedExplain(
      this.db,
      certno,
      outcome.bills.map((b) => b.stored.settlementId),
    );
    return {
      certno: certnoFor(actor, certno),
      year: run.year,
      pack: run.pack,
      hadCancellation: outcome.hadCancellation,
      bills: outcome.bills.map((b) => {
        const s = b.stored;
        const visit = { visitType: s.bill.visitType, hospitalLevel: s.bill.hospitalLevel };
        const facts = stored.get(s.settlementId) ?? [];
        const hide = maskDiagnosis(actor, s.bill.diagnosis) !== s.bill.diagnosis;
        return {
          settlementId: s.settlementId,
          date: s.bill.date,
          visitType: s.bill.visitType,
          diagnosis: maskDiagnosis(actor, s.bill.diagnosis),
          pack: s.pack,
          actual: { ...s.actual },
          draft: { ...b.draft },
          refused: b.refused ? { code: b.refused.code, message: b.refused.message } : null,
          // The explanation names the diagnosis's rules: hidden with the diagnosis.
          actualExplain: hide ? [] : facts.map((f) => explainJson(new TierExplanation(f, visit))),
          draftExplain: hide || b.refused ? [] : b.settlement.explain.map(explainJson),
        };
      }),
    };
  }
}

/** The region prefix an actor reads replays within; '' for the whole system. */
function regionOf(actor: Actor): string {
  switch (actor.scope.kind) {
    case 'system':
      return '';
    case 'region':
      return actor.scope.regionCode;
    default:
      // Institutions and departments never see a county's replays.
      return '\u0000';
  }
}

const within = (actor: Actor, region: string): boolean => {
  const mine = regionOf(actor);
  return region.startsWith(mine);
};

const runNotFound = (field: string) =>
  notFound('replay.not_found', field, '没有这个政策模拟', 'no such replay');

const personMissing = () =>
  notFound('person.not_found', 'certno', '本次模拟中没有此参保人', 'no such person in this replay');

/** Monitoring's warning lines of a pack at a date (docs/settlement.md §5). */
function warningLine(pack: PolicyPack, date: string): WarningLine {
  const wide = resolvePackWide(pack, date);
  const income = wide.perCapitaIncome.value;
  const share = (bp: number) => Math.floor((income * bp) / 10_000 + 0.5);
  return {
    pack: pack.name,
    inscopeLine: share(wide.monitoring.inscopeShare.value),
    totalLine: share(wide.monitoring.totalShare.value),
    inscopeCategories: [...wide.monitoring.inscopeCategories],
  };
}

/** A digest of a pack's files (tests aside): a replay's results belong to exactly these rules. */
export async function packDigest(dir: string): Promise<string> {
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'tests') await walk(p);
      } else files.push(p);
    }
  };
  await walk(dir);
  const hash = createHash('sha256');
  for (const f of files.sort()) {
    hash
      .update(relative(dir, f))
      .update('\u0000')
      .update(await readFile(f))
      .update('\u0000');
  }
  return hash.digest('hex');
}

/** The result as the reader may see it: ID numbers and sensitive categories masked. */
function masked(actor: Actor, r: ReplayResult): ReplayResult {
  const person = <T extends { certno: string; categories: string[] }>(p: T): T => ({
    ...p,
    certno: certnoFor(actor, p.certno),
    categories: maskCategories(actor, p.categories),
  });
  return {
    ...r,
    largestIncrease: r.largestIncrease.map(person),
    largestDecrease: r.largestDecrease.map(person),
    crossings: r.crossings.map(person),
    refused: r.refused.map((b) => ({
      ...b,
      certno: certnoFor(actor, b.certno),
      diagnosis: maskDiagnosis(actor, b.diagnosis),
    })),
    cancelled: r.cancelled.map((c) => ({ ...c, certno: certnoFor(actor, c.certno) })),
  };
}
