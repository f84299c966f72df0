/**
 * critical_illness.yaml, assistance.yaml, re_assistance.yaml → CumulativeRules. A group either
 * sets a parameter or changes everyone's; without an `everyone` rule there is nothing to change,
 * so each group must then set all three parameters itself.
 */
import type {
  Change,
  CumulativeGroup,
  CumulativeRules,
  CumulativeSpec,
  DatedParam,
} from './model.ts';
import type { CumulativeFile } from './schema.ts';
import type { RawDated } from './schema-common.ts';
import type { YamlSource } from './yaml-source.ts';
import {
  at,
  categories,
  child,
  param,
  report,
  setting,
  type At,
  type BuildContext,
} from './build-common.ts';
import type { Bp } from '../kernel/ratio.ts';

type RawGroup = NonNullable<CumulativeFile['groups']>[string];

export function buildCumulative(
  ctx: BuildContext,
  source: YamlSource,
  raw: CumulativeFile,
): CumulativeRules {
  setting(ctx, at(source, 'visit_types'), raw.visit_types.join(', '));
  let everyone: CumulativeSpec | null = null;
  if (raw.everyone) {
    const a = at(source, 'everyone');
    exclusive(ctx, a, raw.everyone, ['brackets', 'ratio']);
    const brackets = scaleOf(ctx, a, raw.everyone.brackets, raw.everyone.ratio);
    if (!brackets) need(ctx, a, 'brackets or ratio');
    everyone = {
      deductible: param(ctx, child(a, 'deductible'), 'money', raw.everyone.deductible),
      // A placeholder only when a problem is already reported: the pack is refused anyway.
      brackets: brackets ?? {
        kind: 'scale',
        file: source.file,
        key: 'everyone.brackets',
        line: 0,
        entries: [],
      },
      cap: param(ctx, child(a, 'cap'), 'money_or_null', raw.everyone.cap),
    };
  }
  const groups = Object.entries(raw.groups ?? {}).map(([name, g]) =>
    buildGroup(ctx, at(source, 'groups', name), name, g, everyone !== null),
  );
  return { file: source.file, visitTypes: raw.visit_types, everyone, groups };
}

function buildGroup(
  ctx: BuildContext,
  a: At,
  name: string,
  g: RawGroup,
  hasEveryone: boolean,
): CumulativeGroup {
  const cats = categories(ctx, child(a, 'categories'), g.categories);
  setting(ctx, child(a, 'categories'), cats.join(', '));
  exclusive(ctx, a, g, ['deductible', 'deductible_factor']);
  exclusive(ctx, a, g, ['brackets', 'ratio', 'ratio_add']);

  const deductible: Change<'money', 'ratio'> | null = g.deductible
    ? { kind: 'set', param: param(ctx, child(a, 'deductible'), 'money', g.deductible) }
    : g.deductible_factor
      ? {
          kind: 'relative',
          param: param(ctx, child(a, 'deductible_factor'), 'ratio', g.deductible_factor),
        }
      : null;
  const scale = scaleOf(ctx, a, g.brackets, g.ratio);
  const brackets: Change<'scale', 'points'> | null = scale
    ? { kind: 'set', param: scale }
    : g.ratio_add
      ? { kind: 'relative', param: param(ctx, child(a, 'ratio_add'), 'points', g.ratio_add) }
      : null;
  const cap = g.cap ? param(ctx, child(a, 'cap'), 'money_or_null', g.cap) : null;

  if (hasEveryone) {
    if (!deductible && !brackets && !cap) {
      report(ctx, a, 'the group changes nothing', '该组没有改变任何参数');
    }
  } else {
    // Nothing to be relative to: the group is the whole rule for its categories.
    if (deductible?.kind !== 'set') need(ctx, a, 'deductible');
    if (brackets?.kind !== 'set') need(ctx, a, 'brackets or ratio');
    if (!cap) need(ctx, a, 'cap');
  }
  return {
    name,
    title: g.title ?? { zh: name, en: name },
    categories: cats,
    deductible,
    brackets,
    cap,
  };
}

/** `brackets`, or a single `ratio` as the one bracket [0, ∞). */
function scaleOf(
  ctx: BuildContext,
  a: At,
  brackets: RawDated<DatedParam<'scale'>['entries'][number]['value']> | undefined,
  ratio: RawDated<Bp> | undefined,
): DatedParam<'scale'> | null {
  if (brackets) return param(ctx, child(a, 'brackets'), 'scale', brackets);
  if (ratio) {
    const asScale = ratio.map((e) => ({ ...e, value: [{ from: 0, to: null, ratio: e.value }] }));
    return param(ctx, child(a, 'ratio'), 'scale', asScale);
  }
  return null;
}

function exclusive<T extends object>(
  ctx: BuildContext,
  a: At,
  g: T,
  keys: (keyof T & string)[],
): void {
  const present = keys.filter((k) => g[k] !== undefined);
  if (present.length > 1) {
    report(
      ctx,
      child(a, present[1] ?? ''),
      `${present.join(' and ')} exclude each other`,
      `${present.join(' 与 ')} 不能同时设置`,
    );
  }
}

function need(ctx: BuildContext, a: At, what: string): void {
  report(
    ctx,
    a,
    `needs ${what} (there is no "everyone" rule to start from)`,
    `应设置 ${what}（没有 everyone 规则可供参照）`,
  );
}
