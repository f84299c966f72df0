/**
 * The demo county: a deterministic (seeded) fictional county 示范县 under region 370899, with
 * townships, villages, households and people with valid ID numbers, and identity flags at
 * rates like a real county's, and resident enrolments for the demo year. Pure: no I/O, no clock; the same seed gives the same county.
 */
import { makeId } from '../../kernel/idcard.ts';
import type { Category } from '../../policy/index.ts';
import { Random } from './random.ts';
import { GIVEN, SURNAMES, TOWNSHIPS, VILLAGE_SUFFIX } from './names.ts';

export const DEMO_COUNTY = '370899';

/** The demo county's size, generator seed and first year (the demo-2022 policy pack). */
export interface DemoOptions {
  people: number;
  seed: number;
  year: number;
}

export const DEFAULT_DEMO: DemoOptions = { people: 50_000, seed: 20220101, year: 2022 };

export interface RegionRow {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county' | 'township' | 'village';
  parent_code: string | null;
}
export interface HouseholdRow {
  household_id: string;
  region_code: string;
  head_certno: string;
  address: string;
}
export interface PersonRow {
  certno: string;
  name: string;
  gender: 'male' | 'female';
  birth_date: string;
  household_id: string;
  region_code: string;
  phone: string | null;
}
export interface EnrolmentRow {
  certno: string;
  medical_year: number;
  scheme: 'resident';
  contribution_type: 'paid' | 'fee_exemption';
  contribution: number;
  enrolled_on: string;
  benefit_from: string;
}
export interface FlagRow {
  certno: string;
  category: Category;
  from_month: string;
  to_month: string | null;
  source: string;
  evidence_no: string;
}

/**
 * Household-level categories are drawn per household (a family is 低保 together); the rate is per
 * person in expectation because household size does not depend on the draw. Individual ones are
 * drawn per person.
 */
const HOUSEHOLD_RATES: [Category, number, string][] = [
  ['subsistence', 0.03, 'civil_affairs'],
  ['poverty_returned', 0.02, 'rural_revitalisation'],
  ['low_income_marginal', 0.01, 'civil_affairs'],
  ['monitored', 0.005, 'rural_revitalisation'],
];
const PERSON_RATES: [Category, number, string][] = [
  ['extreme_poverty', 0.005, 'civil_affairs'],
  ['severe_mental', 0.004, 'health'],
  ['illness_poverty', 0.002, 'civil_affairs'],
];
/** Share of severe-mental patients who hold the county assistance card (Lai'an: 622 cards). */
const AID_CARD_SHARE = 0.6;

/** Area codes printed in the IDs: most born in the county, some in neighbouring ones. */
const BIRTH_AREAS = ['370899', '370899', '370899', '370899', '370881', '370882', '370830'];

export interface CountyOptions {
  seed: number;
  people: number;
  /** The first month flags hold from; the demo year. */
  year: number;
}

export function regions(people: number): RegionRow[] {
  const rows: RegionRow[] = [
    { code: '370000', name: '山东省', level: 'province', parent_code: null },
    { code: '370800', name: '济宁市', level: 'city', parent_code: '370000' },
    { code: DEMO_COUNTY, name: '示范县', level: 'county', parent_code: '370800' },
  ];
  const perTownship = villagesPerTownship(people);
  TOWNSHIPS.forEach((t, i) => {
    const tcode = `${DEMO_COUNTY}${String(i + 1).padStart(3, '0')}`;
    rows.push({ code: tcode, name: t, level: 'township', parent_code: DEMO_COUNTY });
    for (let v = 1; v <= perTownship; v++) {
      rows.push({
        code: `${tcode}${String(v).padStart(3, '0')}`,
        name: `${t.slice(0, 2)}${v}${VILLAGE_SUFFIX[v % VILLAGE_SUFFIX.length]}`,
        level: 'village',
        parent_code: tcode,
      });
    }
  });
  return rows;
}

/** About 1,000 people a village, at least 5 and at most 999 villages a township. */
export const villagesPerTownship = (people: number) =>
  Math.min(999, Math.max(5, Math.ceil(people / TOWNSHIPS.length / 1000)));

export interface CountyBatch {
  households: HouseholdRow[];
  persons: PersonRow[];
  flags: FlagRow[];
  enrolments: EnrolmentRow[];
}

/** The resident personal contribution per year (national standard, yuan → fen). */
const RESIDENT_CONTRIBUTION: Record<number, number> = {
  2020: 28_000,
  2021: 32_000,
  2022: 35_000,
  2023: 38_000,
  2024: 40_000,
};
const FEE_EXEMPT: readonly Category[] = ['extreme_poverty', 'subsistence', 'poverty_returned'];

/**
 * Everyone is enrolled in resident insurance for the demo year during the collection period
 * (December of the year before), fee-exempt when holding a key assistance category. No random
 * draw is taken, so adding enrolments left every seed's county as it was.
 */
function enrolmentFor(certno: string, cats: readonly Category[], year: number): EnrolmentRow {
  const exempt = cats.some((c) => FEE_EXEMPT.includes(c));
  return {
    certno,
    medical_year: year,
    scheme: 'resident',
    contribution_type: exempt ? 'fee_exemption' : 'paid',
    contribution: exempt ? 0 : (RESIDENT_CONTRIBUTION[year] ?? RESIDENT_CONTRIBUTION[2024]!),
    enrolled_on: `${year - 1}-12-15`,
    benefit_from: `${year}-01-01`,
  };
}

/**
 * Yields the county household by household, in batches of about `batchSize` people, so that ten
 * million people never sit in memory at once.
 */
export function* generateCounty(opts: CountyOptions, batchSize = 10_000): Generator<CountyBatch> {
  const rnd = new Random(opts.seed);
  const villages = regions(opts.people).filter((r) => r.level === 'village');
  // Sequence numbers handed out per (area, birth date), so every ID is unique without a set.
  const sequences = new Map<string, number>();
  let made = 0;
  let hh = 0;
  let batch: CountyBatch = { households: [], persons: [], flags: [], enrolments: [] };
  const fromMonth = `${opts.year}-01`;

  while (made < opts.people) {
    hh++;
    const village = villages[(hh * 7919) % villages.length]!;
    const size = Math.min(opts.people - made, 1 + rnd.int(5));
    const surname = rnd.pick(SURNAMES);
    const householdId = `H${village.code}${String(hh).padStart(7, '0')}`;
    const householdCats = HOUSEHOLD_RATES.filter(([, rate]) => rnd.next() < rate);
    let head = '';
    for (let m = 0; m < size; m++) {
      const gender: 'male' | 'female' = rnd.next() < 0.5 ? 'male' : 'female';
      // Age: members after the head are spouses, children or parents of about that age.
      const age = m === 0 ? 25 + rnd.int(60) : rnd.int(90);
      const birthYear = opts.year - 1 - age;
      const birth = `${birthYear}-${pad2(1 + rnd.int(12))}-${pad2(1 + rnd.int(28))}`;
      const certno = allocateId(sequences, rnd.pick(BIRTH_AREAS), birth, gender);
      if (m === 0) head = certno;
      const given = rnd.pick(GIVEN) + (rnd.next() < 0.7 ? rnd.pick(GIVEN) : '');
      batch.persons.push({
        certno,
        name: (m === 0 || rnd.next() < 0.8 ? surname : rnd.pick(SURNAMES)) + given,
        gender,
        birth_date: birth,
        household_id: householdId,
        region_code: village.code,
        phone:
          rnd.next() < 0.7 ? `1${3 + rnd.int(6)}${String(rnd.int(1e9)).padStart(9, '0')}` : null,
      });
      const cats = [...householdCats, ...PERSON_RATES.filter(([, rate]) => rnd.next() < rate)];
      batch.enrolments.push(
        enrolmentFor(
          certno,
          cats.map(([c]) => c),
          opts.year,
        ),
      );
      for (const [category, , source] of cats) {
        batch.flags.push(flag(certno, category, fromMonth, source, hh, batch.flags.length));
        if (category === 'severe_mental' && rnd.next() < AID_CARD_SHARE) {
          batch.flags.push(
            flag(certno, 'mental_aid_card', fromMonth, 'health', hh, batch.flags.length),
          );
        }
      }
      made++;
    }
    batch.households.push({
      household_id: householdId,
      region_code: village.code,
      head_certno: head,
      address: `${village.name}${1 + (hh % 300)}号`,
    });
    if (batch.persons.length >= batchSize) {
      yield batch;
      batch = { households: [], persons: [], flags: [], enrolments: [] };
    }
  }
  if (batch.persons.length > 0) yield batch;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function flag(
  certno: string,
  category: Category,
  from: string,
  source: string,
  hh: number,
  n: number,
): FlagRow {
  return {
    certno,
    category,
    from_month: from,
    to_month: null,
    source,
    evidence_no: `${source.slice(0, 2).toUpperCase()}${hh}-${n}`,
  };
}

/** Odd sequence numbers for men, even for women (GB 11643). Moves a day on when a day is full. */
function allocateId(
  sequences: Map<string, number>,
  area: string,
  birth: string,
  gender: 'male' | 'female',
): string {
  let date = birth;
  for (;;) {
    const key = `${area}${date}${gender}`;
    const k = sequences.get(key) ?? 0;
    if (k < 500) {
      sequences.set(key, k + 1);
      return makeId(area, date, 2 * k + (gender === 'male' ? 1 : 0));
    }
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    date = d.toISOString().slice(0, 10);
  }
}
