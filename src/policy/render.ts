/** A dated parameter's values as people read them: yuan, percent, points, dates. */
import { formatYuan } from '../kernel/money.ts';
import { formatPercent } from '../kernel/ratio.ts';
import type { AnyParam, DatedValue, PolicyPack } from './model.ts';
import { scaleText } from './provenance.ts';
import { formatDiagnosisPattern } from './units.ts';

export function renderParamValues(p: AnyParam): string[] {
  switch (p.kind) {
    case 'money':
      return p.entries.map((e) => formatYuan(e.value));
    case 'money_or_null':
      return p.entries.map((e) => (e.value === null ? 'none' : formatYuan(e.value)));
    case 'ratio':
      return p.entries.map((e) => formatPercent(e.value));
    case 'points':
      return p.entries.map((e) => `${formatPercent(e.value).replace('%', '')} points`);
    case 'date':
      return p.entries.map((e) => e.value);
    case 'days':
      return p.entries.map((e) => `${e.value} days`);
    case 'diagnoses':
      return p.entries.map((e) => e.value.map(formatDiagnosisPattern).join(', '));
    case 'categories':
      return p.entries.map((e) => e.value.join(', '));
    case 'scale':
      return p.entries.map((e) => scaleText(e.value));
    default: {
      const never: never = p;
      return never;
    }
  }
}

const inValidity = (pack: PolicyPack, e: DatedValue<unknown>) =>
  e.from <= (pack.validity.to ?? '9999-12-31') && (e.to === null || e.to >= pack.validity.from);

/**
 * The history of a parameter within the pack's validity: just the value when one value holds
 * throughout, else each value with its dates.
 */
export function renderHistory(pack: PolicyPack, p: AnyParam): string {
  const texts = renderParamValues(p);
  const shown = p.entries
    .map((e, i) => ({ e, text: texts[i] ?? '' }))
    .filter(({ e }) => inValidity(pack, e));
  const [only] = shown;
  if (shown.length === 1 && only) return only.text;
  return shown.map(({ e, text }) => `${text} (${e.from}–${e.to ?? ''})`).join('; ');
}
