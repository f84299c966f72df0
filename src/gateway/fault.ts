/**
 * A refused message: the gateway answers `infcode -1` with a Chinese `err_msg` that names the
 * field of the national message at fault (docs/settlement.md §7). Errors of the services underneath
 * (registry, settlement) name their own fields; `faultOf` renames those to the national ones.
 */
import { isTriguardError } from '../kernel/errors.ts';

export class GatewayFault extends Error {
  constructor(
    /** The national field path, e.g. `input.data.psn_no` or `input.feedetail[2].med_list_codg`. */
    readonly field: string,
    readonly zh: string,
  ) {
    super(`${field}: ${zh}`);
    this.name = 'GatewayFault';
  }

  /** `err_msg`: the field first, unless the message already starts with it. */
  get errMsg(): string {
    return this.zh.startsWith(this.field) ? this.zh : `${this.field}：${this.zh}`;
  }
}

export const fault = (field: string, zh: string) => new GatewayFault(field, zh);

/** Service field names → the national fields a HIS sent them as. */
const NATIONAL_FIELD: Record<string, string> = {
  certno: 'psn_no',
  'bill.date': 'begntime',
  'bill.diagnosis': 'dise_codg',
  'bill.visitType': 'med_type',
  'bill.hospitalLevel': 'fixmedins_code',
  'bill.lines': 'feedetail',
  fixmedinsCode: 'fixmedins_code',
  id: 'setl_id',
  msgid: 'msgid',
  reason: 'setl_id',
};

/** Any error a handler met, as the fault the answer reports (null: not ours to explain). */
export function faultOf(e: unknown, prefix: string): GatewayFault | null {
  if (e instanceof GatewayFault) return e;
  if (!isTriguardError(e)) return null;
  const field = e.field === null ? prefix : (NATIONAL_FIELD[e.field] ?? e.field);
  const path = field.startsWith('input') ? field : `${prefix}.${field}`;
  return new GatewayFault(path, e.messages.zh);
}
