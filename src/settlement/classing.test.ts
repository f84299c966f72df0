import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyLines } from './bill.ts';
import { allowedAmount, classFee } from './classing.ts';
import type { CatalogueItem } from '../catalogue/model.ts';
import { parseChrgitmLv, parseListType, parseQuantity, parseRatio } from '../catalogue/parse.ts';

const item = (over: Partial<CatalogueItem>): CatalogueItem => ({
  medListCodg: 'X',
  name: 'x',
  listType: 'drug',
  chrgitmLv: '01',
  selfpayProp: 0,
  pricUplmtAmt: null,
  medChrgitmType: null,
  spec: null,
  dosform: null,
  prcunt: null,
  begndate: '2022-01-01',
  enddate: null,
  twoDiseases: false,
  ...over,
});

describe('catalogue classing', () => {
  it('classes 甲 as A with the ceiling leaving the over-limit part', () => {
    const c = classFee(item({ pricUplmtAmt: 1000 }), 1200, 10_000);
    expect(c.line).toEqual({ amount: 1200, class: 'A', overLimit: 200 });
    expect(c.split).toMatchObject({ overLimit: 200, preSelfPay: 0, inScope: 1000, ownPay: 0 });
  });

  it('classes 乙 as B with its own ratio, over-limit first', () => {
    const c = classFee(
      item({ chrgitmLv: '02', selfpayProp: 1000, pricUplmtAmt: 6000 }),
      15000,
      20_000,
    );
    expect(c.line).toEqual({ amount: 15000, class: 'B', overLimit: 3000, selfPayRatio: 1000 });
    expect(c.split).toMatchObject({ overLimit: 3000, preSelfPay: 1200, inScope: 10800 });
  });

  it('classes 丙 as C: all own pay, whatever the ceiling', () => {
    const c = classFee(
      item({ chrgitmLv: '03', selfpayProp: 10_000, pricUplmtAmt: 100 }),
      1800,
      10_000,
    );
    expect(c.line).toEqual({ amount: 1800, class: 'C' });
    expect(c.split).toMatchObject({ ownPay: 1800, inScope: 0 });
  });

  it('allows fractional quantities under a ceiling, rounding half up once', () => {
    expect(allowedAmount(333, 5_000)).toBe(167); // 0.5 × 3.33 = 1.665 → 1.67
    expect(classFee(item({ pricUplmtAmt: 333 }), 200, 5_000).line.overLimit).toBe(33);
  });

  it('splits every line exactly as the settlement calculator does', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('01', '02', '03' as const),
        fc.integer({ min: 0, max: 10_000 }),
        fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: null }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (lv, ratio, ceiling, amount, cnt) => {
          const c = classFee(
            item({ chrgitmLv: lv, selfpayProp: lv === '02' ? ratio : 0, pricUplmtAmt: ceiling }),
            amount,
            cnt,
          );
          const s = classifyLines([c.line]);
          expect(c.split).toEqual(s);
          expect(s.ownPay + s.overLimit + s.preSelfPay + s.inScope).toBe(amount);
        },
      ),
    );
  });

  it('reads levels, list types, ratios and quantities as catalogues write them', () => {
    expect(['甲', '甲类', '01', 'A'].map((t) => parseChrgitmLv(t, 'f'))).toEqual([
      '01',
      '01',
      '01',
      '01',
    ]);
    expect(parseChrgitmLv('乙类', 'f')).toBe('02');
    expect(() => parseChrgitmLv('丁类', 'f')).toThrow(/丁类/);
    expect(parseListType('医用耗材', 'f')).toBe('consumable');
    expect(parseListType('101', 'f')).toBe('drug');
    expect(parseRatio('10%', 'f')).toBe(1000);
    expect(parseRatio('0.15', 'f')).toBe(1500);
    expect(() => parseRatio('15', 'f')).toThrow();
    expect(parseQuantity('2.5', 'f')).toBe(25_000);
    expect(parseQuantity(3, 'f')).toBe(30_000);
    expect(() => parseQuantity('0', 'f')).toThrow();
    expect(() => parseQuantity('1.23456', 'f')).toThrow();
  });
});
