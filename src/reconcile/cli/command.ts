/**
 * `triguard reconcile ...`: the three-pass closed loop from the command line. Results go to
 * stdout as JSON; progress and summaries to stderr. Runs as the system actor (an operator at the
 * console), like `triguard registry import`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import type { CliIo, Command } from '../../cli/command.ts';
import { wantsHelp } from '../../cli/command.ts';
import { parse } from '../../cli/args.ts';
import { progress } from '../../cli/progress.ts';
import type { Db } from '../../db/db.ts';
import { migrate } from '../../db/migrate.ts';
import { openFromEnv } from '../../db/open.ts';
import { invalid } from '../../kernel/errors.ts';
import { formatYuan } from '../../kernel/money.ts';
import { DEFAULT_DEMO, DEMO_COUNTY, loadRefundCutoffs } from '../../registry/index.ts';
import { formatOf } from '../../tabular/read.ts';
import { applyPass } from '../apply/apply.ts';
import { reconcileContext, type ReconcileContext } from '../context.ts';
import { generateLists } from '../demo/generate-lists.ts';
import { writeLists, type ManifestEntry } from '../demo/write-lists.ts';
import { exportFeedback } from '../export/feedback-xlsx.ts';
import { parseMappingText } from '../import/columns.ts';
import { importList } from '../import/import-list.ts';
import { closeVerified, dashboard, listProblems, moveProblem } from '../ledger/problems.ts';
import { PROBLEM_ACTIONS, type ProblemAction } from '../ledger/transitions.ts';
import { decideCandidate, listCandidates } from '../match/find-candidates.ts';
import {
  FINDING_KINDS,
  FINDING_LABELS,
  LIST_KINDS,
  PROBLEM_STATES,
  RESOLUTIONS,
  type FindingKind,
  type ListKind,
  type ProblemState,
  type Resolution,
} from '../model.ts';
import { runPass } from '../pass/run-pass.ts';
import { createCampaign, listCampaigns } from '../repo/campaigns.ts';
import { listTemplates } from '../repo/templates.ts';

const HELP = `triguard reconcile <subcommand> ...   数据比对：三步走、回头看，问题台账销号

  campaign create --name NAME --year YYYY [--region CODE] [--due-days N]
  campaign list
  import CAMPAIGN FILE --department D --kind K --as-of YYYY-MM-DD
         [--template NAME] [--map '表头=字段,...'] [--save-template NAME]
      Imports a department list (CSV or XLSX). Kinds: ${LIST_KINDS.join(', ')}.
      Fields for --map: certno, name, birthDate, regionCode, category, eventDate, otherRegion,
      changeType, note. Prints rows read, accepted, rejected (accepted + rejected = rows read).
  import CAMPAIGN --manifest DIR/manifest.json
      Imports every list a manifest names (as written by demo-lists).
  templates [--department D]
  candidates CAMPAIGN [--status proposed|confirmed|rejected]
  confirm CANDIDATE | reject CANDIDATE
      A person's decision on a fuzzy match (a changed or mistyped ID number).
  confirm-best CAMPAIGN --min-score N
      The operator confirms, row by row, the best candidate scoring at least N when no other
      candidate of the row scores as high (ties are left for a person to decide).
  pass CAMPAIGN
      Runs the next pass: registry against the latest list of every department and kind;
      prints what is new, still open, accepted and fixed since the previous pass.
  apply CAMPAIGN [--dry-run] [--pass N] [--batch N]
      Applies the pass's actions through the registry's rules (deaths, exits, missing, flags,
      refunds, fee exemptions), one transaction per batch; --dry-run lists them only.
  export CAMPAIGN --pass N OUT.xlsx
      The feedback workbook of a pass for the poverty data team (Chinese headers).
  problems CAMPAIGN [--state S] [--kind K] [--region CODE] [--overdue]
  problem ID ${PROBLEM_ACTIONS.join('|')} [--resolution R] [--comment TEXT] [--region CODE]
  close-verified CAMPAIGN --comment TEXT      销号 of every verified item
  dashboard CAMPAIGN                         items per township and kind, overdue counted
  demo-lists OUTDIR [--people N] [--seed S] [--year YYYY] [--round N]
      Writes department lists for the demo county with realistic discrepancies (deterministic;
      use the --people/--seed/--year the demo was loaded with). Round 2+: lists after feedback.`;

const OPTIONS = {
  name: { type: 'string' },
  year: { type: 'string' },
  region: { type: 'string' },
  'due-days': { type: 'string' },
  department: { type: 'string' },
  kind: { type: 'string' },
  'as-of': { type: 'string' },
  template: { type: 'string' },
  map: { type: 'string' },
  'save-template': { type: 'string' },
  manifest: { type: 'string' },
  status: { type: 'string' },
  'dry-run': { type: 'boolean' },
  pass: { type: 'string' },
  batch: { type: 'string' },
  state: { type: 'string' },
  overdue: { type: 'boolean' },
  resolution: { type: 'string' },
  comment: { type: 'string' },
  people: { type: 'string' },
  seed: { type: 'string' },
  round: { type: 'string' },
  'min-score': { type: 'string' },
} as const;

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

function int(v: string | undefined, field: string): number;
function int(v: string | undefined, field: string, fallback: number): number;
function int(v: string | undefined, field: string, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  if (v === undefined || !/^\d+$/.test(v)) {
    throw invalid(
      'cli.not_a_count',
      field,
      `${field} 应为正整数：${v ?? ''}`,
      `${field} must be a positive integer: ${v ?? ''}`,
    );
  }
  return Number(v);
}

function oneOf<T extends string>(
  v: string | undefined,
  all: readonly T[],
  field: string,
): T | undefined {
  if (v === undefined) return undefined;
  if (!(all as readonly string[]).includes(v)) {
    throw invalid(
      'cli.bad_value',
      field,
      `${field} 应为 ${all.join('/')}`,
      `${field} must be one of ${all.join(', ')}`,
    );
  }
  return v as T;
}

const json = (io: CliIo, v: unknown) => io.out(JSON.stringify(v, null, 2));

async function importOne(
  ctx: ReconcileContext,
  io: CliIo,
  campaignId: number,
  path: string,
  o: {
    department: string;
    kind: ListKind;
    asOf: string;
    template?: string;
    map?: string;
    saveAs?: string;
  },
) {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw invalid('cli.no_file', 'FILE', `文件不存在：${path}`, `no such file: ${path}`);
  }
  let shown = 0;
  const r = await importList(ctx, SYSTEM_ACTOR, path, {
    campaignId,
    department: o.department,
    kind: o.kind,
    asOf: o.asOf,
    fileName: basename(path),
    format: formatOf(path),
    template: o.template,
    mapping: o.map ? parseMappingText(o.map) : undefined,
    saveAs: o.saveAs,
    onReject: (x) => {
      if (shown++ < 5) io.err(`  拒绝 row ${x.rowNumber} [${x.field ?? '-'}] ${x.reason.zh}`);
    },
    onProgress: (c) => {
      if (c.rowsRead >= 100_000 && c.rowsRead % 100_000 < 20_000)
        io.err(`  ${c.rowsRead} rows read`);
    },
  });
  io.err(
    `${basename(path)}：读取 ${r.rowsRead} 行，接收 ${r.accepted} 行，拒绝 ${r.rejected} 行 / ` +
      `rows read ${r.rowsRead}, accepted ${r.accepted}, rejected ${r.rejected} (list ${r.listId})`,
  );
  return { file: basename(path), ...r };
}

async function run(db: Db, io: CliIo, sub: string, args: string[], v: Values): Promise<number> {
  const ctx = reconcileContext(db);
  const arg = (i: number, name: string) => {
    const a = args[i];
    if (a === undefined)
      throw invalid('cli.missing_argument', name, `缺少参数 ${name}`, `missing ${name}`);
    return a;
  };
  const campaign = () => int(arg(0, 'CAMPAIGN'), 'CAMPAIGN');
  switch (sub) {
    case 'campaign': {
      if (args[0] === 'list') return (json(io, await listCampaigns(db, SYSTEM_ACTOR.scope)), 0);
      if (args[0] !== 'create') break;
      const c = await createCampaign(db, SYSTEM_ACTOR, {
        name: v.name ?? `数据比对 ${v.year ?? ''}`,
        regionCode: v.region ?? DEMO_COUNTY,
        medicalYear: int(v.year, '--year'),
        dueDays: v['due-days'] ? int(v['due-days'], '--due-days') : undefined,
      });
      io.err(`比对批次 ${c.campaignId} 已建立 / campaign ${c.campaignId} created`);
      return (json(io, c), 0);
    }
    case 'import': {
      const id = campaign();
      if (v.manifest) {
        const file = resolve(io.cwd, v.manifest);
        const entries = JSON.parse(readFileSync(file, 'utf8')) as ManifestEntry[];
        const out = [];
        for (const e of entries) {
          out.push(
            await importOne(ctx, io, id, resolve(dirname(file), e.file), {
              department: e.department,
              kind: oneOf(e.kind, LIST_KINDS, 'kind')!,
              asOf: e.asOf,
              map: e.map,
              saveAs: e.template,
            }),
          );
        }
        return (json(io, out), 0);
      }
      const r = await importOne(ctx, io, id, resolve(io.cwd, arg(1, 'FILE')), {
        department: v.department ?? '',
        kind: oneOf(v.kind, LIST_KINDS, '--kind') ?? ('' as ListKind),
        asOf: v['as-of'] ?? '',
        template: v.template,
        map: v.map,
        saveAs: v['save-template'],
      });
      return (json(io, r), r.rejected > 0 ? 1 : 0);
    }
    case 'templates':
      return (json(io, await listTemplates(db, v.department)), 0);
    case 'candidates':
      return (
        json(
          io,
          await listCandidates(
            ctx,
            campaign(),
            oneOf(v.status, ['proposed', 'confirmed', 'rejected'] as const, '--status'),
          ),
        ),
        0
      );
    case 'confirm':
    case 'reject': {
      const status = await decideCandidate(
        ctx,
        SYSTEM_ACTOR,
        int(arg(0, 'CANDIDATE'), 'CANDIDATE'),
        sub === 'confirm' ? 'confirmed' : 'rejected',
      );
      return (json(io, { status }), 0);
    }
    case 'confirm-best': {
      const min = int(v['min-score'], '--min-score');
      const rows = new Map<string, { candidateId: number; score: number }[]>();
      for (const c of await listCandidates(ctx, campaign(), 'proposed')) {
        const k = `${c.listId}/${c.rowNumber}`;
        rows.set(k, [...(rows.get(k) ?? []), c]);
      }
      let confirmed = 0;
      for (const cs of rows.values()) {
        const [best, second] = [...cs].sort((a, b) => b.score - a.score);
        if (best && best.score >= min && (!second || second.score < best.score)) {
          await decideCandidate(ctx, SYSTEM_ACTOR, best.candidateId, 'confirmed');
          confirmed++;
        }
      }
      io.err(`确认 ${confirmed} 行的最佳候选 / confirmed the best candidate of ${confirmed} rows`);
      return (json(io, { confirmed, rows: rows.size }), 0);
    }
    case 'pass': {
      const r = await runPass(ctx, SYSTEM_ACTOR, campaign(), {
        cutoffs: await loadRefundCutoffs(),
      });
      io.err(
        `第 ${r.passNo} 轮比对 / pass ${r.passNo}: ${r.summary.rows} 行, ${r.summary.findings} 个问题`,
      );
      io.err(`${'问题类型'.padEnd(10, '　')} 新发现  仍存在  已认可  已整改`);
      for (const k of FINDING_KINDS) {
        const c = r.summary.byKind[k];
        if (c.new + c.still_open + c.accepted + c.fixed === 0) continue;
        io.err(
          `${FINDING_LABELS[k].zh.padEnd(10, '　')} ${String(c.new).padStart(6)} ${String(c.still_open).padStart(7)} ${String(c.accepted).padStart(7)} ${String(c.fixed).padStart(7)}`,
        );
      }
      return (json(io, r), 0);
    }
    case 'apply': {
      const people = { bar: null as ReturnType<typeof progress> | null };
      const r = await applyPass(ctx, SYSTEM_ACTOR, campaign(), {
        dryRun: v['dry-run'] === true,
        passNo: v.pass ? int(v.pass, '--pass') : undefined,
        batchSize: int(v.batch, '--batch', 200),
        onProgress: (done, total) => {
          people.bar ??= progress(io, v['dry-run'] ? 'dry run' : 'apply', total);
          people.bar.tick(done);
        },
      });
      people.bar?.finish();
      const c = r.counts;
      io.err(
        `${r.dryRun ? '试运行（未写入）' : '已执行'} 第 ${r.passNo} 轮：${c.people} 人，${c.steps} 项；新增标识 ${c.flagsCreated}，` +
          `中断标识 ${c.flagsEnded}，新增参保 ${c.enrolmentsCreated}，变更参保 ${c.enrolmentsUpdated}，` +
          `退费 ${c.refunds} 人 ${formatYuan(c.refundTotal)} 元，人员状态 ${c.personChanges}，跳过 ${c.skipped}`,
      );
      return (json(io, r), 0);
    }
    case 'export': {
      const out = resolve(io.cwd, arg(1, 'OUT.xlsx'));
      const stream = createWriteStream(out);
      const done = new Promise<void>((ok, fail) =>
        stream.on('finish', () => ok()).on('error', fail),
      );
      const r = await exportFeedback(ctx, SYSTEM_ACTOR, campaign(), int(v.pass, '--pass'), stream);
      await done;
      io.err(`反馈表 ${out}：${r.rows} 行 / feedback workbook written`);
      return (json(io, { file: out, ...r }), 0);
    }
    case 'problems':
      return (
        json(
          io,
          await listProblems(ctx, SYSTEM_ACTOR, {
            campaignId: campaign(),
            state: oneOf(v.state, PROBLEM_STATES, '--state') as ProblemState | undefined,
            kind: oneOf(v.kind, FINDING_KINDS, '--kind') as FindingKind | undefined,
            region: v.region,
            overdue: v.overdue === true,
            pageSize: 500,
          }),
        ),
        0
      );
    case 'problem': {
      const action = oneOf(arg(1, 'ACTION'), PROBLEM_ACTIONS, 'ACTION') as ProblemAction;
      return (
        json(
          io,
          await moveProblem(ctx, SYSTEM_ACTOR, int(arg(0, 'ID'), 'ID'), {
            action,
            comment: v.comment ?? null,
            resolution: oneOf(v.resolution, RESOLUTIONS, '--resolution') as Resolution | undefined,
            regionCode: v.region,
          }),
        ),
        0
      );
    }
    case 'close-verified': {
      const n = await closeVerified(ctx, SYSTEM_ACTOR, campaign(), v.comment ?? '核验通过，销号');
      io.err(`销号 ${n} 项 / ${n} items closed`);
      return (json(io, { closed: n }), 0);
    }
    case 'dashboard':
      return (json(io, await dashboard(ctx, SYSTEM_ACTOR, campaign())), 0);
  }
  io.err(HELP);
  return 2;
}

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'department list reconciliation and the problem ledger (数据比对、问题台账)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, OPTIONS);
    if (sub === 'demo-lists') {
      const dir = positionals[0];
      if (!dir) {
        io.err(HELP);
        return 2;
      }
      const lists = generateLists({
        people: int(values.people, '--people', DEFAULT_DEMO.people),
        seed: int(values.seed, '--seed', DEFAULT_DEMO.seed),
        year: int(values.year, '--year', DEFAULT_DEMO.year),
        round: int(values.round, '--round', 1),
      });
      const manifest = await writeLists(resolve(io.cwd, dir), lists);
      for (const m of manifest) io.err(`${m.file}: ${m.rows} 行`);
      return (json(io, manifest), 0);
    }
    if (!sub) {
      io.err(HELP);
      return 2;
    }
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      return await run(db, io, sub, positionals, values);
    } finally {
      await db.close();
    }
  },
};
