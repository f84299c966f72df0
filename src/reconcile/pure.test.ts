/** The pure parts: the CSV reader, row parsing, candidate scores, the ledger's state machine. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeId } from '../kernel/idcard.ts';
import { mapListHeaders, parseMappingText } from './import/columns.ts';
import { parseListRow } from './import/parse-row.ts';
import { readCsvRows } from './import/read-csv.ts';
import { nextState } from './ledger/transitions.ts';
import { editDistance, nameSimilarity, scoreCandidate } from './match/score.ts';

const rows = async (text: string) => {
  const out = [];
  for await (const r of readCsvRows(Readable.from([Buffer.from(text, 'utf8')]))) out.push(r);
  return out;
};

describe('list CSV reader', () => {
  it('splits plain lines, parses quoted fields (commas, quotes, line breaks), skips blank rows; numbers rows as Excel does', async () => {
    const r = await rows('\ufeff身份证号,姓名\r\n1,"王,五"\n\n2,"李""四"\n3,"张\n三"\n,,\n4,赵六');
    expect(r).toEqual([
      { rowNumber: 1, values: ['身份证号', '姓名'] },
      { rowNumber: 2, values: ['1', '王,五'] },
      { rowNumber: 4, values: ['2', '李"四'] },
      { rowNumber: 5, values: ['3', '张\n三'] },
      { rowNumber: 7, values: ['4', '赵六'] },
    ]);
  });

  it('numbers every record after multi-line cells as the spreadsheet row it is', async () => {
    const lines = ['身份证号,姓名,备注'];
    for (let i = 2; i <= 91; i++)
      lines.push(i % 3 === 0 ? `${i},"名\n字","第一行\r\n第二行\n第三行"` : `${i},名,x`);
    const r = await rows(lines.join('\r\n') + '\r\n');
    expect(r).toHaveLength(91);
    for (const row of r.slice(1)) expect(row.rowNumber).toBe(Number(row.values[0]));
  });
});

describe('list rows', () => {
  const id = makeId('370899', '1960-03-04', 7);
  it('upgrades 15-digit IDs and folds x; keeps a mistyped ID for the fuzzy path', () => {
    const fifteen = id.slice(0, 6) + id.slice(8, 17);
    const a = parseListRow({ certno: fifteen, name: '王五' }, 'subsistence', '2022-09-01');
    expect(a).toMatchObject({ ok: true, row: { certno: id, birthDate: '1960-03-04' } });
    const wrong = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    const b = parseListRow({ certno: wrong, name: '王五' }, 'subsistence', '2022-09-01');
    expect(b).toMatchObject({
      ok: true,
      row: { certno: null, certnoRaw: wrong, birthDate: '1960-03-04' },
    });
  });
  it('refuses what cannot be used, naming the column', () => {
    expect(parseListRow({ certno: 'abc', name: '王五' }, 'deaths', '2022-09-01')).toMatchObject({
      ok: false,
      problem: { field: 'certno' },
    });
    expect(parseListRow({ certno: id, name: '王五' }, 'deaths', '2022-09-01')).toMatchObject({
      ok: false,
      problem: { field: 'eventDate' },
    });
    expect(
      parseListRow(
        { certno: id, name: '王五', category: '低保', eventDate: '2022-06-31' },
        'exits',
        '2022-09-01',
      ),
    ).toMatchObject({ ok: false, problem: { field: 'eventDate' } });
  });
  it('maps Chinese headers, a department template first', () => {
    expect(mapListHeaders(['公民身份号码', '成员姓名', '火化日期', '其他'])).toEqual([
      'certno',
      'name',
      'eventDate',
      null,
    ]);
    expect(mapListHeaders(['身份号码', '姓名'], parseMappingText('身份号码=certno'))).toEqual([
      'certno',
      'name',
    ]);
    expect(() => parseMappingText('身份号码=id')).toThrow(/bad column mapping/);
  });
});

describe('candidate scores', () => {
  it('edit distance by code point; homophones are near matches by pinyin', () => {
    expect(editDistance('王秀英', '王秀瑛')).toBe(1);
    expect(nameSimilarity('王秀英', '王秀瑛')).toBeGreaterThan(0.9);
    expect(nameSimilarity('王秀英', '李建国')).toBeLessThan(0.3);
    // A character outside the BMP (𠀀, two UTF-16 units) is one code point: one edit.
    expect(editDistance('王𠀀英', '王秀英')).toBe(1);
    expect(editDistance('', '王秀')).toBe(2);
  });
  it('edit distance equals the textbook definition for any two strings', () => {
    const plain = (a: string, b: string): number => {
      const x = [...a];
      const y = [...b];
      const d = x.map(() => y.map(() => 0));
      const at = (i: number, j: number): number =>
        i < 0 ? j + 1 : j < 0 ? i + 1 : (d[i]![j] as number);
      for (let i = 0; i < x.length; i++)
        for (let j = 0; j < y.length; j++)
          d[i]![j] = Math.min(
            at(i - 1, j) + 1,
            at(i, j - 1) + 1,
            at(i - 1, j - 1) + (x[i] === y[j] ? 0 : 1),
          );
      return x.length === 0 ? y.length : y.length === 0 ? x.length : at(x.length - 1, y.length - 1);
    };
    const text = fc.string({
      unit: fc.constantFrom('0', '1', 'X', '王', '秀', '英', '𠀀'),
      maxLength: 70,
    });
    fc.assert(fc.property(text, text, (a, b) => editDistance(a, b) === plain(a, b)));
  });
  it('a mistyped ID of the same person scores far above a namesake born elsewhere', () => {
    const id = makeId('370899', '1960-03-04', 7);
    const row = {
      name: '王秀英',
      certnoRaw: id.slice(0, 16) + '99',
      birthDate: '1960-03-04',
      regionCode: '370899001',
    };
    const same = scoreCandidate(row, {
      certno: id,
      name: '王秀英',
      birthDate: '1960-03-04',
      regionCode: '370899001001',
    });
    const other = scoreCandidate(row, {
      certno: makeId('370881', '1971-05-06', 3),
      name: '王秀英',
      birthDate: '1971-05-06',
      regionCode: '370899001002',
    });
    expect(same.score).toBeGreaterThanOrEqual(90);
    expect(other.score).toBeLessThan(same.score - 20);
  });
});

describe('ledger states', () => {
  it('open → rectified → verified → closed; reopen from any later state', () => {
    expect(nextState('open', 'rectify')).toBe('rectified');
    expect(nextState('rectified', 'verify')).toBe('verified');
    expect(nextState('verified', 'close')).toBe('closed');
    expect(nextState('closed', 'reopen')).toBe('open');
    expect(() => nextState('open', 'close')).toThrow();
    expect(() => nextState('closed', 'assign')).toThrow();
  });
});
