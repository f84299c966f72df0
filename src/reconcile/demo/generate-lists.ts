/**
 * Department lists for the demo county (pure and deterministic: the same county and seed give the
 * same lists). Built from the county the demo loads (src/registry/demo/generate.ts), with the
 * discrepancies the Wenshang bureau met: people who died, exited poverty or lost 低保 and are still
 * flagged; targets never flagged (some having paid their contribution); targets insured in another
 * county, as employees, or nowhere at all (married out); names typed by sound; mistyped and
 * changed ID numbers; 15-digit and lower-case-x IDs; a few rows no one can use. Round 2 and later
 * are the departments' lists after the feedback: the identity errors are corrected.
 */
import { makeId } from '../../kernel/idcard.ts';
import type { Category } from '../../policy/index.ts';
import {
  generateCounty,
  type CountyOptions,
  GIVEN,
  SURNAMES,
  Random,
} from '../../registry/index.ts';
import type { ListKind } from '../model.ts';

export interface DemoList {
  file: string;
  department: string;
  kind: ListKind;
  asOf: string;
  /** Column mapping the department's headers need (`header=field`), if any. */
  map?: string;
  headers: string[];
  rows: string[][];
}

export interface DemoListOptions extends CountyOptions {
  /** 1 for the first lists; 2+ for lists after the feedback went back. */
  round: number;
}

const TARGET_FILES: [Category, ListKind, string, string][] = [
  ['poverty_returned', 'poverty_targets', 'rural_revitalisation', '扶贫对象_乡村振兴局'],
  ['subsistence', 'subsistence', 'civil_affairs', '低保对象_民政局'],
  ['extreme_poverty', 'extreme_poverty', 'civil_affairs', '特困人员_民政局'],
];

const pad2 = (n: number) => String(n).padStart(2, '0');

/** One digit changed (never the century, so the birth date stays readable). */
function typo(id: string, rnd: Random): string {
  const at = 14 + rnd.int(3);
  const d = (Number(id[at]) + 1 + rnd.int(8)) % 10;
  return id.slice(0, at) + String(d) + id.slice(at + 1);
}

/** The same person under a new number: same area and birth date, another sequence. */
const changedId = (id: string, rnd: Random) =>
  makeId(
    id.slice(0, 6),
    `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    900 + rnd.int(99),
  );

/** A given-name character replaced by one that sounds alike (typed by sound). */
const SOUNDS_LIKE: Record<string, string> = {
  英: '瑛',
  华: '桦',
  明: '铭',
  军: '君',
  红: '虹',
  玉: '钰',
  伟: '玮',
  静: '婧',
  丽: '莉',
  兰: '岚',
  海: '海',
};

function homophone(name: string): string | null {
  const chars = [...name];
  for (let i = chars.length - 1; i >= 1; i--) {
    const alt = SOUNDS_LIKE[chars[i]!];
    if (alt && alt !== chars[i]) {
      chars[i] = alt;
      return chars.join('');
    }
  }
  return null;
}

const fifteen = (id: string) => id.slice(0, 6) + id.slice(8, 17);

export function generateLists(opts: DemoListOptions): DemoList[] {
  const rnd = new Random((opts.seed ^ 0x5eed1234) >>> 0);
  const y = opts.year;
  const first = opts.round <= 1;
  const asOf = `${y}-${pad2(Math.min(12, 8 + opts.round))}-01`;
  const month = () => `${y}-${pad2(2 + rnd.int(6))}`;
  const day = (m: string) => `${m}-${pad2(1 + rnd.int(28))}`;
  const targets = new Map<Category, string[][]>(TARGET_FILES.map(([c]) => [c, []]));
  const deaths: string[][] = [];
  const exits: string[][] = [];
  const missing: string[][] = [];
  const changes: string[][] = [];
  const elsewhere: string[][] = [];
  const employees: string[][] = [];
  const disabled: string[][] = [];
  // Every draw is taken in every round, so round 2 lists the same people, corrected.
  const idFor = (certno: string) => {
    const r = rnd.next();
    const alt = changedId(certno, rnd);
    const wrong = typo(certno, rnd);
    if (!first) return certno;
    if (r < 0.01) return wrong;
    if (r < 0.015) return alt;
    if (r < 0.035 && certno.slice(6, 8) === '19' && certno[17] !== 'X') return fifteen(certno);
    if (r < 0.045 && certno.endsWith('X')) return certno.toLowerCase();
    return certno;
  };
  const nameFor = (name: string) => {
    const r = rnd.next();
    return first && r < 0.01 ? (homophone(name) ?? name) : name;
  };
  let fictitious = 0;

  for (const batch of generateCounty(opts)) {
    const flagsOf = new Map<string, Category[]>();
    for (const f of batch.flags)
      flagsOf.set(f.certno, [...(flagsOf.get(f.certno) ?? []), f.category]);
    for (const p of batch.persons) {
      const cats = flagsOf.get(p.certno) ?? [];
      const held = TARGET_FILES.filter(([c]) => cats.includes(c)).map(([c]) => c);
      if (held.length > 0) {
        const r = rnd.next();
        if (r < 0.005) {
          // Died; the poverty office's list still carries them, the funeral home reports it.
          deaths.push([p.name, p.certno, day(month())]);
        } else if (r < 0.015) {
          // Exited poverty / 低保 or 特困 cancelled: on the exits list, off the target list.
          const c = held[0]!;
          exits.push([
            p.certno,
            p.name,
            c === 'poverty_returned' ? '脱贫享受政策人员' : c === 'subsistence' ? '低保' : '特困',
            day(month()),
          ]);
          continue;
        } else if (r < 0.035) {
          // Dropped by the department without telling anyone: flagged but absent.
          continue;
        } else if (r < 0.036) {
          missing.push([p.certno, p.name, day(month())]);
        } else if (r < 0.041) {
          employees.push([p.certno, p.name, `${y}-01-01`]);
        }
        for (const c of held) {
          targets.get(c)!.push([idFor(p.certno), nameFor(p.name), p.region_code, `${y - 1}-11-20`]);
        }
      } else {
        const r = rnd.next();
        if (r < 0.002) {
          // A 低保 recognised before the cut-off (refund due) or after it (no refund).
          targets
            .get('subsistence')!
            .push([
              p.certno,
              p.name,
              p.region_code,
              rnd.next() < 0.5 ? `${y - 1}-11-15` : `${y}-03-15`,
            ]);
        } else if (r < 0.003) {
          targets.get('poverty_returned')!.push([p.certno, p.name, p.region_code, `${y}-02-10`]);
        } else if (r < 0.004) {
          deaths.push([p.name, p.certno, day(month())]);
        }
      }
      if (rnd.next() < 0.01) disabled.push([idFor(p.certno), nameFor(p.name), '肢体']);
    }
  }
  // Targets the registry does not hold: insured in another county, or nowhere (married out).
  const poverty = targets.get('poverty_returned')!;
  const strangers = Math.max(4, Math.round(poverty.length * 0.01));
  for (let i = 0; i < strangers; i++) {
    const birth = `${1950 + rnd.int(50)}-${pad2(1 + rnd.int(12))}-${pad2(1 + rnd.int(28))}`;
    const certno = makeId('370899', birth, 990 + (fictitious++ % 9));
    const name = rnd.pick(SURNAMES) + rnd.pick(GIVEN) + rnd.pick(GIVEN);
    poverty.push([certno, name, '', `${y - 1}-11-20`]);
    if (i % 2 === 0) elsewhere.push([certno, name, rnd.pick(['370881', '370882', '370830'])]);
    else if (i % 4 === 1) changes.push([certno, name, '婚出', day(month())]);
  }
  if (first) {
    // Rows no one can use: the rejects file names each.
    poverty.push(['暂无', '王某', '', '']);
    poverty.push(['37089919', '李某', '', '']);
    poverty.push([poverty[0]![0]!, poverty[0]![1]!, poverty[0]![2]!, '']);
    poverty.push(['', '', '', '2021-13-01']);
  }

  const H = ['证件号码', '姓名', '所在村代码', '认定日期'];
  const lists: DemoList[] = TARGET_FILES.map(([c, kind, department, file], i) => ({
    file: `${pad2(i + 1)}_${file}.${c === 'poverty_returned' ? 'xlsx' : 'csv'}`,
    department,
    kind,
    asOf,
    headers: c === 'subsistence' ? ['公民身份号码', '成员姓名', '行政区划代码', '认定日期'] : H,
    rows: targets.get(c)!,
  }));
  lists.push(
    {
      file: '04_死亡名单_殡仪馆.csv',
      department: 'funeral_home',
      kind: 'deaths',
      asOf,
      headers: ['死者姓名', '身份证号码', '火化日期'],
      rows: deaths,
    },
    {
      file: '05_脱贫及取消待遇_乡村振兴局民政局.csv',
      department: 'rural_revitalisation',
      kind: 'exits',
      asOf,
      headers: ['身份证号', '姓名', '人员类别', '退出日期'],
      rows: exits,
    },
    {
      file: '06_失联人员_公安局.csv',
      department: 'police',
      kind: 'missing',
      asOf,
      headers: ['身份证号', '姓名', '失联日期'],
      rows: missing,
    },
    {
      file: '07_户籍变动_公安局.csv',
      department: 'police',
      kind: 'household_changes',
      asOf,
      // The police export's own headers: mapped by a template the first upload saves.
      map: '身份号码=certno,变更类别=changeType,变更日期=eventDate',
      headers: ['身份号码', '姓名', '变更类别', '变更日期'],
      rows: changes,
    },
    {
      file: '08_县外参保_市医保平台.csv',
      department: 'medical_insurance',
      kind: 'insured_elsewhere',
      asOf,
      headers: ['身份证号', '姓名', '参保地'],
      rows: elsewhere,
    },
    {
      file: '09_职工参保_职工医保.csv',
      department: 'employee_insurance',
      kind: 'employee_insured',
      asOf,
      headers: ['身份证号', '姓名', '参保日期'],
      rows: employees,
    },
    {
      file: '10_残疾人_残联.csv',
      department: 'disabled_federation',
      kind: 'disabled_persons',
      asOf,
      headers: ['身份证号', '姓名', '残疾类别'],
      rows: disabled,
    },
  );
  return lists;
}
