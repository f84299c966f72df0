/**
 * `triguard policy list | show | diff | check | test` — reading, comparing and checking policy
 * packs. A pack may be named (a folder of `policies/`) or given as a path to its folder, so a
 * staffer can check an edited copy before it replaces the real one.
 */
import { basename, dirname, resolve } from 'node:path';
import type { CliIo, Command } from '../../cli/command.ts';
import { wantsHelp } from '../../cli/command.ts';
import { parse } from '../../cli/args.ts';
import { invalid, isTriguardError } from '../../kernel/errors.ts';
import { parseDate } from '../../kernel/period.ts';
import { postTierRules } from '../../settlement/index.ts';
import {
  CATEGORIES,
  listPacks,
  loadPack,
  isPackError,
  type Category,
  type PolicyPack,
  type Problem,
  type Remote,
  resolveGrid,
  showTable,
  diffPacks,
  DEFAULT_REVIEW_DAYS,
  staleValues,
  formatFailure,
  reportPassed,
  runPackTests,
  type PackTestReport,
  displayWidth,
  padEnd,
  createDraft,
  parseEdit,
  publishDraft,
} from '../../policy/index.ts';
import { openFromEnv } from '../../db/open.ts';
import { recordAudit } from '../../audit/index.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';

const HELP = `triguard policy — 政策包 policy packs

  policy list [--all] [--json]
      列出政策包（--all 含测试用包）/ list the packs (--all: fixtures too)
  policy show PACK --date YYYY-MM-DD [--category C ...] [--remote filed|unfiled]
              [--diagnosis ICD10] [--json]
      某日、某些身份下适用的参数表 / the parameters that apply on a date to holders of categories
  policy diff PACK_A PACK_B [--json]
      两个政策包不同的每个参数，旧 → 新 / every parameter that differs, old → new
  policy check PACK [--today YYYY-MM-DD] [--review-days N]
      检查格式、跑用例、提示过期未复核的取值 / schema, pack tests, stale last_reviewed warnings
  policy draft SOURCE NAME [--set FILE:KEY=VALUE ...]
      复制政策包为草案并修改参数（草案不用于日常结算，可用于政策模拟）/ copy a pack to a draft
      and change parameters: --set sets the value in force at the end of a parameter's history,
      e.g. --set basic.yaml:inpatient.ratio.level2=85%
  policy publish DRAFT --from YYYY-MM-DD --reason TEXT
      发布草案：自生效日起适用，原政策包前一日终止；须有通过的用例；记入审计日志 /
      publish a draft from a date (the pack it replaces ends the day before); needs passing pack
      tests; audited. The server reads packs at start: restart it afterwards.
  policy test [PACK]
      跑政策包 tests/ 下的用例（不写则全部）/ run the pack tests (all packs when none is named)

  PACK is a name under policies/ or a path to a pack folder (e.g. ./my-copy/demo-2022).
  --root DIR  read packs from DIR instead of policies/
  Categories: ${CATEGORIES.join(', ')}`;

export const policyCommand: Command = {
  name: 'policy',
  summary: 'policy packs: list, show, diff, check, test / 政策包',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (
      !sub ||
      (wantsHelp(argv) &&
        !['show', 'diff', 'check', 'test', 'list', 'draft', 'publish'].includes(sub))
    ) {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    if (wantsHelp(rest)) {
      io.out(HELP);
      return 0;
    }
    try {
      switch (sub) {
        case 'list':
          return await list(rest, io);
        case 'show':
          return await show(rest, io);
        case 'diff':
          return await diff(rest, io);
        case 'check':
          return await check(rest, io);
        case 'test':
          return await test(rest, io);
        case 'draft':
          return await draft(rest, io);
        case 'publish':
          return await publish(rest, io);
        default:
          io.err(`未知的子命令 unknown subcommand: ${sub}\n\n${HELP}`);
          return 2;
      }
    } catch (e) {
      if (isPackError(e)) {
        printProblems(io, e.pack, e.problems);
        return 1;
      }
      if (isTriguardError(e)) {
        io.err(`${e.messages.zh}\n${e.field ? `${e.field}: ` : ''}${e.messages.en}`);
        return e.kind === 'invalid' ? 2 : 1;
      }
      throw e;
    }
  },
};

const ROOT = { root: { type: 'string' } } as const;

/** A pack name, or a path to a pack folder (anything with a slash). */
function packRef(ref: string, root: string | undefined): { name: string; root?: string } {
  if (!ref.includes('/')) return root ? { name: ref, root } : { name: ref };
  const dir = resolve(ref);
  return { name: basename(dir), root: dirname(dir) };
}

const load = (ref: string, root: string | undefined): Promise<PolicyPack> => {
  const { name, ...opts } = packRef(ref, root);
  return loadPack(name, opts);
};

function one(positionals: string[], what: string): string {
  const [value, extra] = positionals;
  if (!value || extra !== undefined) {
    throw invalid('cli.bad_arguments', what, `需要一个${what}`, `expected one ${what}`);
  }
  return value;
}

function printProblems(io: CliIo, pack: string, problems: readonly Problem[]): void {
  io.out(`✗ ${pack}: ${problems.length} 处错误 problem${problems.length === 1 ? '' : 's'}`);
  for (const p of problems) {
    const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
    io.out(`  ${where}${p.key ? ` ${p.key}` : ''}: ${p.message} / ${p.zh}`);
  }
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...ROOT, all: { type: 'boolean' }, json: { type: 'boolean' } });
  const packs = await listPacks({
    ...(values.root ? { root: values.root } : {}),
    includeFixtures: !!values.all,
    includeDrafts: true,
  });
  if (values.json) {
    io.out(JSON.stringify({ packs }, null, 2));
    return 0;
  }
  const rows = packs.map((p) => [
    p.name,
    p.region,
    p.scheme,
    `${p.validity.from} – ${p.validity.to ?? ''}`,
    `${p.title.zh} / ${p.title.en}${p.fixture ? ' (fixture)' : ''}${p.draft ? ` (草案 draft of ${p.basedOn ?? '?'})` : ''}`,
  ]);
  const header = ['政策包 pack', '区划 region', '险种 scheme', '有效期 valid', '名称 title'];
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  for (const r of [header, ...rows])
    io.out(
      r
        .map((c, i) => padEnd(c, widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  return 0;
}

async function show(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...ROOT,
    date: { type: 'string' },
    category: { type: 'string', multiple: true },
    remote: { type: 'string' },
    diagnosis: { type: 'string' },
    json: { type: 'boolean' },
  });
  const pack = await load(one(positionals, 'PACK'), values.root);
  if (!values.date)
    throw invalid(
      'cli.missing_date',
      '--date',
      '请给出 --date YYYY-MM-DD',
      '--date YYYY-MM-DD is required',
    );
  const date = parseDate(values.date, '--date');
  const categories = (values.category ?? []).map(category);
  const grid = resolveGrid(pack, {
    date,
    categories,
    remote: remote(values.remote),
    ...(values.diagnosis !== undefined ? { diagnosis: values.diagnosis } : {}),
  });
  if (values.json) io.out(JSON.stringify(grid, null, 2));
  else showTable(pack, grid).forEach((l) => io.out(l));
  return 0;
}

function category(c: string): Category {
  const found = CATEGORIES.find((k) => k === c);
  if (!found) {
    throw invalid(
      'policy.unknown_category',
      '--category',
      `未知的身份类别：${c}（可用：${CATEGORIES.join('、')}）`,
      `unknown category: ${c} (known: ${CATEGORIES.join(', ')})`,
    );
  }
  return found;
}

function remote(r: string | undefined): Remote {
  if (r === undefined || r === 'local') return null;
  if (r === 'filed' || r === 'unfiled') return r;
  throw invalid(
    'policy.bad_remote',
    '--remote',
    `--remote 应为 filed 或 unfiled：${r}`,
    `--remote must be filed or unfiled: ${r}`,
  );
}

async function diff(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { ...ROOT, json: { type: 'boolean' } });
  const [refA, refB, extra] = positionals;
  if (!refA || !refB || extra !== undefined) {
    throw invalid(
      'cli.bad_arguments',
      'PACK',
      '需要两个政策包：PACK_A PACK_B',
      'expected two packs: PACK_A PACK_B',
    );
  }
  const [a, b] = await Promise.all([load(refA, values.root), load(refB, values.root)]);
  const rows = diffPacks(a, b);
  if (values.json) {
    io.out(JSON.stringify({ from: a.name, to: b.name, differences: rows }, null, 2));
    return 0;
  }
  io.out(`${a.name} → ${b.name}: ${rows.length} 处不同 difference${rows.length === 1 ? '' : 's'}`);
  for (const r of rows) io.out(`  ${r.key}: ${r.old ?? '(无 none)'} → ${r.new ?? '(无 none)'}`);
  return 0;
}

async function check(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...ROOT,
    today: { type: 'string' },
    'review-days': { type: 'string' },
  });
  const pack = await load(one(positionals, 'PACK'), values.root);
  // The post-tier rules (post_tier.yaml) are read by the settlement; a malformed file is refused here.
  const postTier = postTierRules(pack.dir);
  io.out(
    `✓ ${pack.name}: 格式正确 schema OK (${pack.params.length} parameters, ${postTier.hospitalWaiver.length} post-tier rules)`,
  );
  const report = await runPackTests(pack);
  const passed = printReport(io, report);
  const today = values.today
    ? parseDate(values.today, '--today')
    : new Date().toISOString().slice(0, 10);
  const days = reviewDays(values['review-days']);
  const warnings = [
    ...staleValues(pack, today, days).map(
      (w) => `${w.file}:${w.line} ${w.key}: ${w.message} / ${w.zh}`,
    ),
    ...report.uncovered.map(
      (u) => `${u.file}:${u.line} ${u.key}: no pack test reaches this value / 没有用例用到这个取值`,
    ),
  ];
  if (warnings.length > 0) {
    io.out(`! ${warnings.length} 条提示 warning${warnings.length === 1 ? '' : 's'}`);
    warnings.forEach((w) => io.out(`  ${w}`));
  }
  return passed ? 0 : 1;
}

async function draft(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { ...ROOT, set: { type: 'string', multiple: true } });
  const [source, name, extra] = positionals;
  if (!source || !name || extra !== undefined) {
    throw invalid('cli.bad_arguments', 'NAME', '需要 SOURCE 和 NAME', 'expected SOURCE and NAME');
  }
  const edits = (values.set ?? []).map(parseEdit);
  const pack = await createDraft(source, name, edits, values.root ? { root: values.root } : {});
  io.out(`✓ 草案 draft ${pack.name} ← ${source}: ${pack.dir}`);
  for (const e of edits) io.out(`  ${e.file} ${e.key} = ${e.value}`);
  io.out('  编辑 YAML 后运行 edit the YAML, then: triguard policy check ' + pack.name);
  return 0;
}

async function publish(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...ROOT,
    from: { type: 'string' },
    reason: { type: 'string' },
  });
  const name = one(positionals, 'DRAFT');
  if (!values.from) {
    throw invalid('cli.missing_date', '--from', '请给出 --from YYYY-MM-DD', '--from is required');
  }
  const effective = parseDate(values.from, '--from');
  const reason = (values.reason ?? '').trim();
  if (reason === '') {
    throw invalid(
      'cli.missing_reason',
      '--reason',
      '发布须写明理由 --reason',
      '--reason is required',
    );
  }
  const opts = values.root ? { root: values.root } : {};
  const pack = await loadPack(name, opts);
  const report = await runPackTests(pack);
  if (report.cases === 0 || !printReport(io, report)) {
    io.err(
      `✗ ${name}: 发布前须有通过的用例（tests/*.yaml）/ a draft needs passing pack tests before it is published`,
    );
    return 1;
  }
  const db = await openFromEnv(io.env);
  try {
    const done = await publishDraft(name, effective, opts);
    await recordAudit(db, {
      actor: { ...SYSTEM_ACTOR, id: 'system:cli', name: `cli:${io.env.USER ?? 'unknown'}` },
      action: 'policy.publish',
      entity: 'policy_pack',
      entityId: name,
      before: { draft: true, basedOn: pack.basedOn, validity: pack.validity },
      after: { draft: false, validity: done.pack.validity, replaced: done.replaced },
      reason,
    });
    io.out(`✓ 已发布 published ${name}: ${effective} 起 from ${effective}`);
    if (done.replaced) {
      io.out(`  ${done.replaced.name} 终止于 ends on ${done.replaced.validTo}`);
    }
    io.out('  重启服务后生效 restart the server to settle with it');
    return 0;
  } finally {
    await db.close();
  }
}

function reviewDays(text: string | undefined): number {
  if (text === undefined) return DEFAULT_REVIEW_DAYS;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    throw invalid(
      'cli.bad_arguments',
      '--review-days',
      `--review-days 应为正整数：${text}`,
      `--review-days must be a positive integer: ${text}`,
    );
  }
  return n;
}

async function test(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, ROOT);
  const refs =
    positionals.length > 0
      ? positionals
      : (
          await listPacks({ ...(values.root ? { root: values.root } : {}), includeFixtures: true })
        ).map((p) => p.name);
  let ok = true;
  for (const ref of refs) {
    try {
      ok = printReport(io, await runPackTests(await load(ref, values.root))) && ok;
    } catch (e) {
      if (!isPackError(e)) throw e;
      printProblems(io, e.pack, e.problems);
      ok = false;
    }
  }
  return ok ? 0 : 1;
}

/** Prints a pack's test results; true when every case passed. */
function printReport(io: CliIo, r: PackTestReport): boolean {
  const passed = reportPassed(r);
  if (r.cases === 0 && r.problems.length === 0) {
    io.out(`! ${r.pack}: 没有用例 no pack tests (tests/*.yaml)`);
    return true;
  }
  io.out(
    passed
      ? `✓ ${r.pack}: ${r.cases} 个用例通过 cases passed (${r.files.length} files)`
      : `✗ ${r.pack}: ${r.cases - r.passed} / ${r.cases} 个用例未通过 cases failed`,
  );
  for (const p of r.problems) {
    io.out(`  ${p.file}:${p.line}${p.key ? ` ${p.key}` : ''}: ${p.message} / ${p.zh}`);
  }
  for (const f of r.failures) io.out(`  ${formatFailure(f)}`);
  return passed;
}
