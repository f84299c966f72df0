import { describe, expect, it } from 'vitest';
import { looksLikeInitials, nameInitials } from './pinyin.ts';

describe('pinyin initials', () => {
  it('reads each character’s initial, surnames as surnames', () => {
    expect(nameInitials('张伟')).toBe('zw');
    expect(nameInitials('王秀英')).toBe('wxy');
    expect(nameInitials('单田芳')).toBe('stf');
    expect(nameInitials('曾小贤')).toBe('zxx');
  });

  it('drops what is not Chinese (the middle dot of minority names) and is stable when cached', () => {
    expect(nameInitials('阿依·买买提')).toBe('aymmt');
    expect(nameInitials('张伟')).toBe('zw');
  });

  it('tells initials from other text', () => {
    expect(looksLikeInitials('ZW')).toBe(true);
    expect(looksLikeInitials('张伟')).toBe(false);
    expect(looksLikeInitials('z1')).toBe(false);
  });
});
