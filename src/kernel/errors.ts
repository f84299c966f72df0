/**
 * Typed errors. Every error the product raises on purpose carries a stable code, the field it is
 * about (a JSON path such as `bills[2].lines[0].overLimit`, or null), and a message in zh-CN and
 * en. The HTTP layer maps `kind` to a status; the CLI prints the message and exits non-zero.
 */
export type ErrorKind = 'invalid' | 'unprocessable' | 'not_found' | 'conflict' | 'forbidden';

export interface Message {
  zh: string;
  en: string;
}

export class TriguardError extends Error {
  readonly code: string;
  readonly field: string | null;
  readonly messages: Message;
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, code: string, field: string | null, messages: Message) {
    super(`${field ? field + ': ' : ''}${messages.en}`);
    this.name = 'TriguardError';
    this.kind = kind;
    this.code = code;
    this.field = field;
    this.messages = messages;
  }

  toJSON(): { code: string; field: string | null; message: Message } {
    return { code: this.code, field: this.field, message: this.messages };
  }
}

/** Malformed input: wrong type, wrong format (HTTP 400). */
export const invalid = (code: string, field: string | null, zh: string, en: string) =>
  new TriguardError('invalid', code, field, { zh, en });

/** Well-formed input that breaks a rule (HTTP 422). */
export const unprocessable = (code: string, field: string | null, zh: string, en: string) =>
  new TriguardError('unprocessable', code, field, { zh, en });

export const notFound = (code: string, field: string | null, zh: string, en: string) =>
  new TriguardError('not_found', code, field, { zh, en });

export const conflict = (code: string, field: string | null, zh: string, en: string) =>
  new TriguardError('conflict', code, field, { zh, en });

export const isTriguardError = (e: unknown): e is TriguardError => e instanceof TriguardError;
