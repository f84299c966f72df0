/**
 * Text a person's record keeps (names, household numbers) must show what it says: no control
 * characters (C0, DEL, C1: a bell, a NUL, a line break inside a name), no bidirectional overrides,
 * embeddings, isolates or marks that make a name display differently from how it is stored and
 * sorted. One rule for the import and the API.
 */
import { invalid } from '../../kernel/errors.ts';

// C0 and C1 controls with DEL; LRM, RLM and ALM; LRE..RLO; LRI..PDI; line and paragraph separators.
const HIDDEN =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

const codePoint = (ch: string) =>
  `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The text unchanged, or an error naming `field` and the first hidden character. */
export function plainText(text: string, field: string): string {
  const m = HIDDEN.exec(text);
  if (m) {
    const cp = codePoint(m[0]);
    throw invalid(
      'text.control_character',
      field,
      `${field} 含有控制字符或换行、双向文本控制符（${cp}），请删除后重新填写`,
      `${field} holds a control, line-break or bidirectional-override character (${cp})`,
    );
  }
  return text;
}
