/**
 * diseases.yaml → the catalogue of chronic and special outpatient diseases (docs/chronic.md §1). Every
 * pack serves chronic_outpatient, so every pack needs one: a pack without it is a pack error, never
 * a reason to pay any diagnosis. The severe mental disorders name pack.yaml's list instead of
 * copying it, and no two diseases may share a diagnosis on any day.
 */
import type { DatedParam, Disease } from './model.ts';
import { SEVERE_MENTAL_LIST, isDiseaseCode, type DiseasesFile } from './schema.ts';
import { formatDiagnosisPattern } from './units.ts';
import { patternsOverlap } from './diagnosis.ts';
import type { YamlSource } from './yaml-source.ts';
import { at, child, param, report, setting, type BuildContext } from './build-common.ts';

export function buildDiseases(
  ctx: BuildContext,
  source: YamlSource,
  raw: DiseasesFile,
  severeMental: DatedParam<'diagnoses'>,
): Disease[] {
  const codes = Object.keys(raw);
  if (codes.length === 0) {
    report(
      ctx,
      at(source),
      'the catalogue lists no disease: chronic_outpatient visits would pay for none',
      '病种目录为空：门诊慢特病无病种可支付',
    );
  }
  const nationalSeen = new Map<string, string>();
  const diseases = Object.entries(raw).map(([code, d]): Disease => {
    const a = at(source, code);
    if (!isDiseaseCode(code)) {
      report(
        ctx,
        a,
        `"${code}" is not a disease code (capital letters and digits, e.g. M002)`,
        `"${code}" 不是病种编码（大写字母和数字，如 M002）`,
      );
    }
    const twin = nationalSeen.get(d.national_code);
    if (twin !== undefined) {
      report(
        ctx,
        child(a, 'national_code'),
        `national code ${d.national_code} is also ${twin}'s`,
        `国家病种代码 ${d.national_code} 与 ${twin} 重复`,
      );
    }
    nationalSeen.set(d.national_code, code);
    setting(ctx, child(a, 'national_code'), d.national_code);
    setting(ctx, child(a, 'kind'), d.kind);
    if (d.kind === 'chronic' && !d.sub_cap) {
      report(ctx, a, 'a chronic disease needs its annual sub_cap', '慢性病应设年度限额 sub_cap');
    }
    if (d.kind === 'special' && d.sub_cap) {
      report(
        ctx,
        child(a, 'sub_cap'),
        'a special disease is paid like a stay and takes no sub_cap',
        '特殊病按住院支付，不设 sub_cap',
      );
    }
    const sharesSevereMental = d.diagnoses === SEVERE_MENTAL_LIST;
    if (sharesSevereMental) {
      setting(ctx, child(a, 'diagnoses'), SEVERE_MENTAL_LIST);
      if (d.kind !== 'special') {
        report(
          ctx,
          child(a, 'kind'),
          'the severe mental disorders are a special disease',
          '严重精神障碍属于特殊病（special）',
        );
      }
    }
    return {
      code,
      name: d.name,
      nationalCode: d.national_code,
      kind: d.kind,
      diagnoses:
        d.diagnoses === SEVERE_MENTAL_LIST
          ? severeMental
          : param(ctx, child(a, 'diagnoses'), 'diagnoses', d.diagnoses),
      severeMental: sharesSevereMental,
      subCap:
        d.kind === 'chronic' && d.sub_cap
          ? param(ctx, child(a, 'sub_cap'), 'money', d.sub_cap)
          : null,
    };
  });
  reportOverlaps(ctx, source, diseases);
  return diseases;
}

const meet = (a: { from: string; to: string | null }, b: { from: string; to: string | null }) =>
  a.from <= (b.to ?? '9999-12-31') && b.from <= (a.to ?? '9999-12-31');

/** One problem per pair of diseases whose prefixes could match the same diagnosis on a day. */
function reportOverlaps(ctx: BuildContext, source: YamlSource, diseases: Disease[]): void {
  diseases.forEach((d, j) => {
    for (const earlier of diseases.slice(0, j)) {
      const clash = firstClash(earlier, d);
      if (!clash) continue;
      report(
        ctx,
        at(source, d.code, 'diagnoses'),
        `${d.code}'s ${clash.mine} overlaps ${earlier.code}'s ${clash.theirs}: a diagnosis must match one disease`,
        `${d.code} 的 ${clash.mine} 与 ${earlier.code} 的 ${clash.theirs} 重叠：一个诊断只能对应一个病种`,
      );
    }
  });
}

function firstClash(a: Disease, b: Disease): { mine: string; theirs: string } | null {
  for (const ea of a.diagnoses.entries) {
    for (const eb of b.diagnoses.entries) {
      if (!meet(ea, eb)) continue;
      for (const pa of ea.value) {
        const pb = eb.value.find((p) => patternsOverlap(pa, p));
        if (pb) return { mine: formatDiagnosisPattern(pb), theirs: formatDiagnosisPattern(pa) };
      }
    }
  }
  return null;
}
