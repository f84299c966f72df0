import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  TriguardError,
  conflict,
  invalid,
  isTriguardError,
  notFound,
  unprocessable,
  type ErrorKind,
} from './errors.ts';

describe('TriguardError', () => {
  it('carries kind, code, field and both messages', () => {
    const e = new TriguardError('forbidden', 'auth.denied', 'token', { zh: '拒绝', en: 'denied' });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(TriguardError);
    expect(e.name).toBe('TriguardError');
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('auth.denied');
    expect(e.field).toBe('token');
    expect(e.messages).toEqual({ zh: '拒绝', en: 'denied' });
  });

  it('prefixes the English message with the field', () => {
    const e = invalid('money.negative', 'bills[2].lines[0].overLimit', '不能为负数', 'negative');
    expect(e.message).toBe('bills[2].lines[0].overLimit: negative');
  });

  it('uses the bare English message when there is no field', () => {
    expect(conflict('x.dup', null, '重复', 'duplicate').message).toBe('duplicate');
    expect(conflict('x.dup', '', '重复', 'duplicate').message).toBe('duplicate');
  });

  it('serialises to { code, field, message: { zh, en } }', () => {
    const e = unprocessable('tier.cap', 'tiers[1]', '超出封顶', 'over the cap');
    const expected = {
      code: 'tier.cap',
      field: 'tiers[1]',
      message: { zh: '超出封顶', en: 'over the cap' },
    };
    expect(e.toJSON()).toEqual(expected);
    expect(JSON.parse(JSON.stringify(e))).toEqual(expected);
    expect(JSON.parse(JSON.stringify({ error: notFound('p', null, '无', 'none') }))).toEqual({
      error: { code: 'p', field: null, message: { zh: '无', en: 'none' } },
    });
  });

  it('keeps a stack trace', () => {
    expect(invalid('c', null, '中', 'en').stack).toContain('TriguardError');
  });
});

describe('factories', () => {
  it.each([
    [invalid, 'invalid'],
    [unprocessable, 'unprocessable'],
    [notFound, 'not_found'],
    [conflict, 'conflict'],
  ] as const)('%o makes kind %s', (make, kind: ErrorKind) => {
    const e = make('some.code', 'f', '中文', 'english');
    expect(e).toBeInstanceOf(TriguardError);
    expect(e.kind).toBe(kind);
    expect(e.code).toBe('some.code');
    expect(e.field).toBe('f');
    expect(e.messages).toEqual({ zh: '中文', en: 'english' });
  });

  it('keep every argument as given', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(fc.string({ minLength: 1 })),
        fc.string(),
        fc.string(),
        (code, field, zh, en) => {
          const e = invalid(code, field, zh, en);
          expect(e.toJSON()).toEqual({ code, field, message: { zh, en } });
          expect(e.message).toBe(field === null ? en : `${field}: ${en}`);
        },
      ),
    );
  });
});

describe('isTriguardError', () => {
  it('recognises TriguardErrors only', () => {
    expect(isTriguardError(invalid('c', null, '中', 'en'))).toBe(true);
    expect(isTriguardError(new Error('plain'))).toBe(false);
    expect(isTriguardError(new RangeError('range'))).toBe(false);
    expect(isTriguardError({ code: 'c', field: null, messages: { zh: '', en: '' } })).toBe(false);
    expect(isTriguardError(null)).toBe(false);
    expect(isTriguardError(undefined)).toBe(false);
    expect(isTriguardError('invalid')).toBe(false);
  });
});
