/**
 * Turning a validated file into the model: every dated parameter gets its file, key and lines and
 * has its history checked; category names are expanded through `category_sets`. Problems go to
 * the context's list instead of being thrown, so one load reports them all.
 */
import type { IsoDate } from '../kernel/period.ts';
import { CATEGORIES, type Category, type HospitalLevel } from './types.ts';
import type { AnyParam, DatedParam, Levelled, ParamKind, ParamKinds, Setting } from './model.ts';
import { checkHistory } from './dated.ts';
import { keyPath, problemAt, type Problem } from './problems.ts';
import type { RawDated } from './schema-common.ts';
import type { PathSegment, YamlSource } from './yaml-source.ts';

export interface BuildContext {
  validity: { from: IsoDate; to: IsoDate | null };
  categorySets: Record<string, Category[]>;
  problems: Problem[];
  params: AnyParam[];
  settings: Setting[];
}

/** Where in which file: the source and the path of the thing being built. */
export interface At {
  source: YamlSource;
  path: readonly PathSegment[];
}

export const at = (source: YamlSource, ...path: PathSegment[]): At => ({ source, path });
export const child = (a: At, ...path: PathSegment[]): At => ({
  source: a.source,
  path: [...a.path, ...path],
});

export function report(ctx: BuildContext, a: At, en: string, zh: string): void {
  ctx.problems.push(problemAt(a.source, a.path, en, zh));
}

export function param<K extends ParamKind>(
  ctx: BuildContext,
  a: At,
  kind: K,
  raw: RawDated<ParamKinds[K]>,
): DatedParam<K> {
  const p: DatedParam<K> = {
    kind,
    file: a.source.file,
    key: keyPath(a.path),
    line: a.source.lineOf(a.path),
    entries: raw.map((e, i) => ({
      value: e.value,
      from: e.from,
      to: e.to ?? null,
      reference: e.reference,
      lastReviewed: e.last_reviewed ?? null,
      line: a.source.lineOf([...a.path, i, 'value']),
    })),
  };
  for (const problem of checkHistory(p.entries, ctx.validity)) {
    const line = problem.index === null ? p.line : a.source.lineOf([...a.path, problem.index]);
    ctx.problems.push({ file: p.file, line, key: p.key, message: problem.en, zh: problem.zh });
  }
  // The union member is fixed by K; TypeScript cannot see that a generic DatedParam<K> is one.
  ctx.params.push(p as unknown as AnyParam);
  return p;
}

export function levelled<K extends ParamKind>(
  ctx: BuildContext,
  a: At,
  kind: K,
  raw:
    | { all: RawDated<ParamKinds[K]> }
    | { levels: Record<`level${HospitalLevel}`, RawDated<ParamKinds[K]>> },
): Levelled<K> {
  if ('all' in raw) {
    const p = param(ctx, a, kind, raw.all);
    return { 1: p, 2: p, 3: p };
  }
  return {
    1: param(ctx, child(a, 'level1'), kind, raw.levels.level1),
    2: param(ctx, child(a, 'level2'), kind, raw.levels.level2),
    3: param(ctx, child(a, 'level3'), kind, raw.levels.level3),
  };
}

const isCategory = (s: string): s is Category => (CATEGORIES as readonly string[]).includes(s);

/** Category codes and set names → codes; unknown names are problems at their own line. */
export function categories(ctx: BuildContext, a: At, names: readonly string[]): Category[] {
  const out = new Set<Category>();
  names.forEach((name, i) => {
    const set = ctx.categorySets[name];
    if (isCategory(name)) out.add(name);
    else if (set) set.forEach((c) => out.add(c));
    else {
      const sets = Object.keys(ctx.categorySets);
      report(
        ctx,
        child(a, i),
        `unknown category "${name}" (categories: ${CATEGORIES.join(', ')}${sets.length ? `; sets: ${sets.join(', ')}` : ''})`,
        `未知的身份类别 "${name}"（类别：${CATEGORIES.join('、')}${sets.length ? `；类别组：${sets.join('、')}` : ''}）`,
      );
    }
  });
  return [...out];
}

/** Dated lists of categories, expanded the same way. */
export function categoriesParam(
  ctx: BuildContext,
  a: At,
  raw: RawDated<string[]>,
): DatedParam<'categories'> {
  const expanded = raw.map((e, i) => ({
    ...e,
    value: categories(ctx, child(a, i, 'value'), e.value),
  }));
  return param(ctx, a, 'categories', expanded);
}

export function setting(ctx: BuildContext, a: At, text: string): void {
  ctx.settings.push({
    file: a.source.file,
    key: keyPath(a.path),
    line: a.source.lineOf(a.path),
    text,
  });
}
