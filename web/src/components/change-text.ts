/**
 * A registry change of an apply (dry run or real) in words a reviewer reads: which flag is opened
 * or ended, which enrolment is created or updated, the refund in yuan. Amounts in the registry's
 * patches are fen.
 */
import type { ChangeView } from '../api/types.ts';
import { i18n } from '../i18n/index.ts';
import { categoryLabel } from '../labels.ts';
import { formatFen } from '../format.ts';

const t = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {});

/** Patch fields in fen (the registry keeps money in fen). */
const FEN_FIELDS = new Set(['refund', 'contribution', 'fundedAmount']);

function patchText(patch: Record<string, unknown>): string {
  return Object.entries(patch)
    .map(([k, v]) => {
      const label = i18n.global.te(`reconcile.patch.${k}`) ? t(`reconcile.patch.${k}`) : k;
      if (FEN_FIELDS.has(k) && typeof v === 'number') return `${label} ${formatFen(v)}`;
      if (k === 'contributionType' && typeof v === 'string')
        return `${label} ${t(`registry.contributionTypes.${v}`)}`;
      if (k === 'status' && typeof v === 'string') return `${label} ${t(`registry.statuses.${v}`)}`;
      return `${label} ${v === null ? '—' : String(v)}`;
    })
    .join('，');
}

export function changeText(c: ChangeView): string {
  switch (c.what) {
    case 'person':
      return t('reconcile.change.person', { patch: patchText(c.patch) });
    case 'flag.create':
      return t('reconcile.change.flagCreate', {
        category: categoryLabel(c.category),
        from: c.fromMonth,
      });
    case 'flag.end':
      return t('reconcile.change.flagEnd', {
        category: categoryLabel(c.category),
        to: c.toMonth,
        reason: t(`registry.endReasons.${c.endReason}`),
      });
    case 'enrolment.create':
      return t('reconcile.change.enrolmentCreate', {
        year: c.year,
        type: t(`registry.contributionTypes.${c.contributionType}`),
        from: c.benefitFrom,
      });
    case 'enrolment.update':
      return t('reconcile.change.enrolmentUpdate', {
        year: c.year ?? '',
        patch: patchText(c.patch),
      });
    default: {
      const never: never = c;
      return JSON.stringify(never);
    }
  }
}
