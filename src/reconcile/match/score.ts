/**
 * How alike a list row and a registry person are (pure). Names are compared by characters and by
 * pinyin (a homophone such as 王秀英/王秀瑛 is a near match a clerk makes when typing by sound), ID
 * numbers by edit distance (a mistyped digit is one edit; a changed sequence number a few), and the
 * blocking facts (birth date, region) add their weight. The score is 0–100; a person confirms.
 */
import { pinyin } from 'pinyin-pro';

/** Rows of the distance table, kept between calls (the fuzzy path scores a million pairs). */
let prevRow = new Int32Array(64);
let curRow = new Int32Array(64);

/** Has the string a surrogate pair (a code point outside the BMP, two UTF-16 units)? */
const hasSurrogate = (s: string) => /[\uD800-\uDFFF]/.test(s);

/** Edit distance between two strings, by code point. */
export function editDistance(a: string, b: string): number {
  // IDs and nearly every name are in the BMP: compare UTF-16 units, no arrays made.
  if (hasSurrogate(a) || hasSurrogate(b)) return editDistanceOf([...a], [...b]);
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  if (n + 1 > prevRow.length) {
    prevRow = new Int32Array(2 * (n + 1));
    curRow = new Int32Array(2 * (n + 1));
  }
  let prev = prevRow;
  let cur = curRow;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const sub = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[n]!;
}

function editDistanceOf(x: readonly string[], y: readonly string[]): number {
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[y.length]!;
}

const MAX_CACHED = 100_000;
const cache = new Map<string, string>();

/** Full pinyin without tones, surname read as a surname: 单雄信 → shanxiongxin. */
export function namePinyin(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const p = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' })
    .join('')
    .toLowerCase();
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(name, p);
  return p;
}

const codePoints = (s: string) => (hasSurrogate(s) ? [...s].length : s.length);

const similarity = (a: string, b: string) => {
  const n = Math.max(codePoints(a), codePoints(b));
  return n === 0 ? 1 : 1 - editDistance(a, b) / n;
};

/** 0–1: the better of the character and the pinyin similarity (pinyin counts a little less). */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return Math.max(similarity(a, b), 0.95 * similarity(namePinyin(a), namePinyin(b)));
}

/** The ID as written, made comparable with an 18-digit number (15 digits: century inserted). */
const comparableId = (raw: string) =>
  raw.length === 15 ? `${raw.slice(0, 6)}19${raw.slice(6)}` : raw;

export interface RowFacts {
  name: string;
  certnoRaw: string;
  birthDate: string | null;
  regionCode: string | null;
}

export interface PersonFacts {
  certno: string;
  name: string;
  birthDate: string;
  regionCode: string;
}

export interface CandidateScore {
  score: number;
  nameScore: number;
  idDistance: number;
}

export function scoreCandidate(row: RowFacts, p: PersonFacts): CandidateScore {
  const nameSim = nameSimilarity(row.name, p.name);
  const idDistance = editDistance(comparableId(row.certnoRaw), p.certno);
  const idSim = 1 - Math.min(idDistance, 18) / 18;
  const birth = row.birthDate !== null && row.birthDate === p.birthDate ? 1 : 0;
  const region = row.regionCode !== null && p.regionCode.startsWith(row.regionCode) ? 1 : 0;
  return {
    score: Math.round(100 * (0.45 * nameSim + 0.35 * idSim + 0.1 * birth + 0.1 * region)),
    nameScore: Math.round(100 * nameSim),
    idDistance,
  };
}

/** Candidates below this score are not proposed. */
export const MIN_SCORE = 60;
/** At most this many candidates a row, best first. */
export const MAX_CANDIDATES = 3;
