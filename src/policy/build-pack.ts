/** pack.yaml → the pack's identity, validity and category sets, which every other file needs. */
import { CATEGORIES, type Category } from './types.ts';
import type { DatedParam, PackSummary } from './model.ts';
import type { PackFile } from './schema.ts';
import type { YamlSource } from './yaml-source.ts';
import { at, child, param, report, type BuildContext } from './build-common.ts';

export interface PackHead extends PackSummary {
  categorySets: Record<string, Category[]>;
}

/** Identity and validity, checked before the rest of the pack is built against them. */
export function buildHead(
  folder: string,
  source: YamlSource,
  raw: PackFile,
  problems: BuildContext['problems'],
): PackHead {
  const ctx: BuildContext = {
    validity: { from: raw.valid_from, to: raw.valid_to ?? null },
    categorySets: {},
    problems,
    params: [],
    settings: [],
  };
  if (raw.name !== folder) {
    report(
      ctx,
      at(source, 'name'),
      `the pack is named "${raw.name}" but its folder is "${folder}"`,
      `政策包名 "${raw.name}" 与文件夹名 "${folder}" 不一致`,
    );
  }
  if (raw.valid_to && raw.valid_to < raw.valid_from) {
    report(
      ctx,
      at(source, 'valid_to'),
      `the pack ends (${raw.valid_to}) before it starts (${raw.valid_from})`,
      `政策包结束日期（${raw.valid_to}）早于开始日期（${raw.valid_from}）`,
    );
  }
  const categorySets: Record<string, Category[]> = {};
  for (const [name, members] of Object.entries(raw.category_sets ?? {})) {
    const a = at(source, 'category_sets', name);
    if ((CATEGORIES as readonly string[]).includes(name)) {
      report(
        ctx,
        a,
        `"${name}" is a category code; a set needs another name`,
        `"${name}" 是身份类别代码，类别组需另起名称`,
      );
    }
    categorySets[name] = members.filter((m, i): m is Category => {
      const known = (CATEGORIES as readonly string[]).includes(m);
      if (!known) {
        report(
          ctx,
          child(a, i),
          `unknown category "${m}" (categories: ${CATEGORIES.join(', ')})`,
          `未知的身份类别 "${m}"（类别：${CATEGORIES.join('、')}）`,
        );
      }
      return known;
    });
  }
  return {
    name: raw.name,
    title: raw.title,
    region: raw.region,
    scheme: raw.scheme,
    validity: { from: raw.valid_from, to: raw.valid_to ?? null },
    fixture: raw.fixture ?? false,
    draft: raw.draft ?? false,
    basedOn: raw.based_on ?? null,
    categorySets,
  };
}

export function buildSevereMental(
  ctx: BuildContext,
  source: YamlSource,
  raw: PackFile,
): DatedParam<'diagnoses'> {
  return param(
    ctx,
    at(source, 'severe_mental_diagnosis'),
    'diagnoses',
    raw.severe_mental_diagnosis,
  );
}
