/**
 * `triguard screening …`: the screening (摸底排查) from the command line, as the system actor:
 * run one, list runs and people, write the XLSX per township, record a visit, print the funnel
 * (docs/chronic.md §15, §16).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { openFromEnv } from '../db/open.ts';
import { migrate } from '../db/migrate.ts';
import type { Db } from '../db/db.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { invalid } from '../kernel/errors.ts';
import { normaliseDate } from '../kernel/period.ts';
import { normalizeId } from '../kernel/idcard.ts';
import { CATEGORIES, type Category } from '../policy/index.ts';
import { parse } from '../cli/args.ts';
import type { CliIo, Command } from '../cli/command.ts';
import { wantsHelp } from '../cli/command.ts';
import { loadPackCatalog } from '../settlement/index.ts';
import {
  NOT_APPLYING_REASONS,
  PERSON_STATUSES,
  type NotApplyingReason,
  type PersonStatus,
} from './core/screening.ts';
import { ScreeningService } from './screening-service.ts';

const HELP = `triguard screening <run|list|people|export|visit|funnel> ...

摸底排查 — people with inpatient stays whose diagnoses match a catalogue disease and who hold no
certificate for it, listed per township for visits (docs/chronic.md §15, §16).
  run --from YYYY-MM-DD --to YYYY-MM-DD [--category C]... [--region CODE]
      Lists the period's people to visit; prints the run as JSON. --category (repeatable) keeps
      only people holding one of the categories in the period; --region a county or township.
  list
      The runs, newest first (JSON lines).
  people --id N [--region CODE] [--status ${PERSON_STATUSES.join('|')}]
      The people of a run (JSON lines).
  export --id N [--region CODE] [--out FILE.xlsx]
      The list as XLSX, one sheet per township (default 摸底排查名单_….xlsx).
  visit --id N --certno ID --on YYYY-MM-DD [--reason ${NOT_APPLYING_REASONS.join('|')}] [--note TEXT]
      Records a visit and, when nobody applies, why.
  funnel [--id N] [--region CODE]
      Screened → visited → applied → certified → refused, and the reasons (latest run by default).`;

type Values = Record<string, string | boolean | string[] | undefined>;
const str = (v: Values, k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);

function need(v: string | undefined, field: string): string {
  if (v === undefined) {
    throw invalid('cli.missing_option', field, `缺少 ${field}`, `${field} is required`);
  }
  return v;
}

function date(v: string | undefined, field: string): string {
  const d = normaliseDate(need(v, field));
  if (!d) {
    throw invalid('date.invalid', field, `${field} 日期无效：${v}`, `${field} is not a date: ${v}`);
  }
  return d;
}

function id(v: string | undefined): number {
  const text = need(v, '--id');
  if (!/^\d{1,15}$/.test(text) || Number(text) < 1) {
    throw invalid(
      'cli.not_a_count',
      '--id',
      `--id 应为正整数：${text}`,
      `--id must be a positive integer: ${text}`,
    );
  }
  return Number(text);
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
      `${field} 应为 ${all.join('|')}`,
      `${field} must be one of ${all.join(', ')}`,
    );
  }
  return v as T;
}

function region(v: string | undefined): string | undefined {
  if (v !== undefined && !/^\d{6}(\d{3}){0,2}$/.test(v)) {
    throw invalid(
      'cli.bad_value',
      '--region',
      `--region 应为行政区划代码：${v}`,
      `--region must be a region code: ${v}`,
    );
  }
  return v;
}

export const screeningCommand: Command = {
  name: 'screening',
  summary: 'chronic-disease screening lists, visits and the funnel (慢特病摸底排查)',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === undefined || wantsHelp(argv)) {
      io.out(HELP);
      return 0;
    }
    const { values } = parse(rest, {
      from: { type: 'string' },
      to: { type: 'string' },
      category: { type: 'string', multiple: true },
      region: { type: 'string' },
      id: { type: 'string' },
      status: { type: 'string' },
      out: { type: 'string' },
      certno: { type: 'string' },
      on: { type: 'string' },
      reason: { type: 'string' },
      note: { type: 'string' },
    });
    const db = await openFromEnv(io.env);
    try {
      await migrate(db);
      return await dispatch(db, sub, values, io);
    } finally {
      await db.close();
    }
  },
};

async function dispatch(db: Db, sub: string, v: Values, io: CliIo): Promise<number> {
  const actor = SYSTEM_ACTOR;
  const service = new ScreeningService(db, await loadPackCatalog());
  switch (sub) {
    case 'run': {
      const categories = ((v.category as string[] | undefined) ?? []).map((c) =>
        oneOf<Category>(c, CATEGORIES, '--category')!,
      );
      const run = await service.run(actor, {
        periodFrom: date(str(v, 'from'), '--from'),
        periodTo: date(str(v, 'to'), '--to'),
        categories,
        regionCode: region(str(v, 'region')),
      });
      io.err(`screening ${run.id}: ${run.listed} people to visit`);
      io.out(JSON.stringify(run));
      return 0;
    }
    case 'list': {
      for (let page = 1; ; page++) {
        const r = await service.list(actor, { page, pageSize: 100 });
        for (const x of r.items) io.out(JSON.stringify(x));
        if (page * 100 >= r.total) return 0;
      }
    }
    case 'people': {
      const screeningId = id(str(v, 'id'));
      const filter = {
        regionCode: region(str(v, 'region')),
        status: oneOf<PersonStatus>(str(v, 'status'), PERSON_STATUSES, '--status'),
      };
      for (let page = 1; ; page++) {
        const r = await service.people(actor, screeningId, filter, { page, pageSize: 100 });
        for (const x of r.items) io.out(JSON.stringify(x));
        if (page * 100 >= r.total) return 0;
      }
    }
    case 'export': {
      const file = await service.exportXlsx(actor, id(str(v, 'id')), region(str(v, 'region')));
      const path = str(v, 'out') ?? file.fileName;
      const out = createWriteStream(path);
      const finished = once(out, 'finish');
      const n = await file.write(out);
      await finished;
      io.err(`${n} people → ${path}`);
      io.out(JSON.stringify({ file: path, rows: n }));
      return 0;
    }
    case 'visit': {
      const row = await service.visit(
        actor,
        id(str(v, 'id')),
        normalizeId(need(str(v, 'certno'), '--certno'), '--certno'),
        {
          visitedOn: date(str(v, 'on'), '--on'),
          notApplying: oneOf<NotApplyingReason>(str(v, 'reason'), NOT_APPLYING_REASONS, '--reason'),
          note: str(v, 'note'),
        },
      );
      io.out(JSON.stringify(row));
      return 0;
    }
    case 'funnel': {
      const f = await service.funnel(actor, {
        screeningId: str(v, 'id') === undefined ? undefined : id(str(v, 'id')),
        regionCode: region(str(v, 'region')),
      });
      io.out(JSON.stringify(f));
      return 0;
    }
    default:
      io.err(`unknown subcommand ${sub}\n${HELP}`);
      return 2;
  }
}
