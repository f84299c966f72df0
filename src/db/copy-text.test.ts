import { describe, expect, it } from 'vitest';
import { copyText } from './db.ts';

describe('copyText (COPY text format)', () => {
  it('writes null as \\N and numbers and plain text as they are', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText(12345)).toBe('12345');
    expect(copyText('张三 370802199001011234')).toBe('张三 370802199001011234');
  });
  it('escapes backslash, tab, newline and carriage return, each where it stands', () => {
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText('\n\n')).toBe('\\n\\n');
  });
  it('writes dates as ISO timestamps', () => {
    expect(copyText(new Date('2022-01-02T03:04:05Z'))).toBe('2022-01-02T03:04:05.000Z');
  });
});
