/** The certificate and the notice as their reader may see them, ready to print. Pure. */
import { certnoFor, MASKED, maskDiagnosis, mayReadSensitive } from '../../kernel/access/masking.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import {
  REFUSAL_REASON_LABELS,
  type Application,
  type Certificate,
  type EndReason,
} from '../core/model.ts';
import type { CertificatePrint, NoticePrint } from './pdf.ts';

const ENDED: Record<EndReason, string> = {
  revoked: '已撤销',
  expired: '已到期',
  death: '死亡终止',
  correction: '更正终止',
};

export function certificatePrint(
  actor: Actor,
  c: Certificate,
  bureau: string,
  today: string,
): CertificatePrint {
  const sees = mayReadSensitive(actor);
  return {
    bureau,
    certificateNo: c.certificateNo,
    name: c.name,
    certno: certnoFor(actor, c.certno),
    issuedOn: c.issuedOn,
    diseases: c.diseases.map((d) => ({
      name: d.severeMental && !sees ? MASKED : `${d.disease} ${d.name.zh}`,
      kind: d.kind === 'special' ? '特殊病' : d.kind === 'chronic' ? '慢性病' : '',
      validFrom: d.validFrom,
      validTo: d.validTo ?? '长期',
      status:
        d.endedReason !== null
          ? ENDED[d.endedReason]
          : d.validTo !== null && d.validTo < today
            ? '已到期'
            : '有效',
    })),
    printedOn: today,
  };
}

export function noticePrint(
  actor: Actor,
  a: Application,
  bureau: string,
  decidedOn: string,
): NoticePrint {
  const sees = mayReadSensitive(actor);
  const nameOf = (d: Application['diseases'][number]) =>
    d.severeMental && !sees ? MASKED : `${d.disease} ${d.name.zh}`;
  return {
    bureau,
    applicationId: a.id,
    name: a.name,
    certno: certnoFor(actor, a.certno),
    acceptedOn: a.acceptedOn,
    decidedOn,
    refused: a.diseases
      .filter((d) => d.decision === 'refused')
      .map((d) => ({
        name: nameOf(d),
        reason: d.reason ? REFUSAL_REASON_LABELS[d.reason].zh : '',
        note:
          d.reasonNote === null
            ? null
            : d.severeMental && !sees
              ? MASKED
              : maskDiagnosis(actor, d.reasonNote),
      })),
    approved: a.diseases.filter((d) => d.decision === 'approved').map((d) => ({ name: nameOf(d) })),
    certificateNo: a.certificateNo,
  };
}
