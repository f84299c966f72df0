import { describe, expect, it } from 'vitest';
import { DEMO_CLINIC } from '../auth/demo-accounts.ts';
import { demoCatalogue } from './demo.ts';
import { DEMO_INSTITUTIONS } from './demo-institutions.ts';

describe('the demo catalogue’s two-diseases drug list (两病用药)', () => {
  const items = demoCatalogue();
  const listed = items.filter((i) => i.twoDiseases);

  it('marks the antihypertensive and hypoglycaemic drugs of the catalogue, and nothing else', () => {
    const names = new Set(listed.map((i) => i.name));
    for (const n of [
      '苯磺酸氨氯地平片',
      '缬沙坦胶囊',
      '酒石酸美托洛尔片',
      '盐酸二甲双胍片',
      '甘精胰岛素注射液',
    ]) {
      expect(names).toContain(n);
    }
    expect(listed.every((i) => i.listType === 'drug' && i.chrgitmLv !== '03')).toBe(true);
    expect(listed.every((i) => /^X(C0[23789]|A10)/.test(i.medListCodg))).toBe(true);
    for (const n of [
      '利培酮片',
      '阿托伐他汀钙片',
      '盐酸曲美他嗪片',
      '维生素C泡腾片',
      '普通门诊诊查费',
    ]) {
      expect(names).not.toContain(n);
    }
  });
});

describe('the demo county’s institutions', () => {
  it('registers the demo clinic account’s institution as a level-1 township health centre', () => {
    expect(DEMO_INSTITUTIONS.find((i) => i.fixmedinsCode === DEMO_CLINIC)).toMatchObject({
      fixmedinsName: '城关镇卫生院',
      hospLv: 1,
    });
    expect(DEMO_INSTITUTIONS.filter((i) => i.hospLv === 1)).toHaveLength(12);
  });
});
