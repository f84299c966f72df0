/**
 * Problems in a pack, each with the file, line and key path a staffer has to fix, in English and
 * Chinese. The loader collects all of them before refusing a pack, so one run lists every mistake.
 */
import type { z } from 'zod';
import { TriguardError } from '../kernel/errors.ts';
import { show } from './units.ts';
import type { PathSegment, YamlSource } from './yaml-source.ts';

export interface Problem {
  file: string;
  /** 1-based; 0 when the problem is the file itself (e.g. missing). */
  line: number;
  /** Key path inside the file, e.g. `inpatient.ratio.level2`; '' for the whole file. */
  key: string;
  message: string;
  zh: string;
}

/** `basic.yaml:14 inpatient.ratio.level2: 180 is above 100 %` */
export function formatProblem(p: Problem, lang: 'en' | 'zh' = 'en'): string {
  const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
  const text = lang === 'en' ? p.message : p.zh;
  return p.key ? `${where} ${p.key}: ${text}` : `${where}: ${text}`;
}

/** A pack that cannot be used. `problems` lists every mistake found. */
export class PackError extends TriguardError {
  readonly pack: string;
  readonly problems: Problem[];

  constructor(pack: string, problems: Problem[]) {
    const n = problems.length;
    super('unprocessable', 'policy.invalid_pack', null, {
      zh: [`政策包 ${pack} 有 ${n} 处错误：`, ...problems.map((p) => formatProblem(p, 'zh'))].join(
        '\n',
      ),
      en: [
        `policy pack ${pack} has ${n} problem${n === 1 ? '' : 's'}:`,
        ...problems.map((p) => formatProblem(p)),
      ].join('\n'),
    });
    this.name = 'PackError';
    this.pack = pack;
    this.problems = problems;
  }
}

export const isPackError = (e: unknown): e is PackError => e instanceof PackError;

/**
 * The key path people read: `inpatient.ratio.level2`, `groups.key.brackets[0].value[1].ratio`.
 * A trailing `[i].value` is dropped, so a bad value is reported under its parameter's key (the
 * line already tells which dated value it is), which is also the key provenance uses.
 */
export function keyPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out.replace(/\[\d+\]\.value$/, '');
}

/** A problem at `path` of a source. */
export function problemAt(
  source: YamlSource,
  path: readonly PathSegment[],
  message: string,
  zh: string,
): Problem {
  return { file: source.file, line: source.lineOf(path), key: keyPath(path), message, zh };
}

/** Zod issues of one file as problems; an unknown key is reported at its own line. */
export function issuesToProblems(
  source: YamlSource,
  issues: readonly z.core.$ZodIssue[],
  unknownKeyHint: (path: readonly PathSegment[], key: string) => Problem | null,
): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          out.push(
            unknownKeyHint(path, key) ??
              problemAt(source, [...path, key], `unknown key "${key}"`, `未知的键 "${key}"`),
          );
        }
        break;
      case 'invalid_type':
        out.push(
          issue.input !== undefined
            ? problemAt(
                source,
                path,
                `expected ${expectedName(issue.expected)}, got ${show(issue.input)}`,
                `应为${expectedZh(issue.expected)}，实为 ${show(issue.input)}`,
              )
            : problemAt(source, path, 'is required', '缺少此项'),
        );
        break;
      case 'too_small':
        out.push(problemAt(source, path, 'must not be empty', '不能为空'));
        break;
      case 'custom': {
        const zh = issue.params?.['zh'];
        out.push(
          problemAt(source, path, issue.message, typeof zh === 'string' ? zh : issue.message),
        );
        break;
      }
      default:
        out.push(problemAt(source, path, issue.message, issue.message));
    }
  }
  return out;
}

const expectedName = (t: string) =>
  t === 'object' ? 'a mapping (key: value)' : t === 'array' ? 'a list' : t;
const expectedZh = (t: string) =>
  t === 'object' ? '映射（键: 值）' : t === 'array' ? '列表' : t === 'string' ? '文字' : t;
