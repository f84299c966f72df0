import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { registerPerson } from '../service/people.ts';
import { addFlag } from '../service/flags.ts';
import {
  nextCertno,
  seedRegions,
  testClock,
  testContext,
  VILLAGE_1,
  VILLAGE_2,
} from '../testing/db.ts';
import { searchPersons } from './search.ts';

const SYS = { kind: 'system' } as const;
const PAGE = { page: 1, pageSize: 20 };
const MONTH = '2022-05';

describeDb('person search', (ctx) => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await seedRegions(ctx.db);
    const reg = testContext(ctx.db, testClock('2022-05-01'));
    const people: [string, string, string][] = [
      ['zw', '张伟', VILLAGE_1],
      ['zwm', '张伟明', VILLAGE_1],
      ['zw2', '张玮', VILLAGE_2],
      ['wxy', '王秀英', VILLAGE_2],
      ['zsf', '张三丰', VILLAGE_1],
      ['zsf2', '张三峰', VILLAGE_2],
      ['li', '李', VILLAGE_1],
    ];
    for (const [key, name, region] of people) {
      ids[key] = nextCertno('1965-07-08');
      await registerPerson(
        reg,
        SYSTEM_ACTOR,
        { certno: ids[key]!, name, regionCode: region, householdId: null, phone: null },
        'test',
      );
    }
    await addFlag(
      reg,
      SYSTEM_ACTOR,
      ids.zw!,
      {
        category: 'subsistence',
        fromMonth: '2022-01',
        toMonth: null,
        source: 'civil_affairs',
        evidenceNo: null,
        recognisedOn: null,
      },
      'test',
    );
    await addFlag(
      reg,
      SYSTEM_ACTOR,
      ids.zw!,
      {
        category: 'monitored',
        fromMonth: '2021-01',
        toMonth: '2021-12',
        source: 'rural_revitalisation',
        evidenceNo: null,
        recognisedOn: null,
      },
      'test',
    );
  });

  const names = async (
    criteria: Parameters<typeof searchPersons>[2],
    scope: Parameters<typeof searchPersons>[1] = SYS,
  ) => (await searchPersons(ctx.db, scope, criteria, PAGE, MONTH)).items.map((h) => h.name);

  it('finds by ID number, exactly, the 15-digit form too, with the categories held this month', async () => {
    const r = await searchPersons(ctx.db, SYS, { certno: ids.zw }, PAGE, MONTH);
    expect(r).toMatchObject({ total: 1, totalCapped: false });
    expect(r.items[0]).toMatchObject({ certno: ids.zw, name: '张伟', categories: ['subsistence'] });
    const id = ids.wxy!;
    const fifteen = id.slice(0, 6) + id.slice(8, 17);
    expect(await names({ certno: fifteen })).toEqual(['王秀英']);
    await expect(
      searchPersons(ctx.db, SYS, { certno: '370899196507080011' }, PAGE, MONTH),
    ).rejects.toMatchObject({ code: 'certno.invalid' });
  });

  it('finds by Chinese name: the exact name first, then similar names', async () => {
    expect(await names({ name: '张伟' })).toEqual(['张伟', '张伟明']);
    expect(await names({ name: '张三丰' })).toEqual(['张三丰', '张三峰']);
    expect(await names({ name: '李' })).toEqual(['李']);
  });

  it('finds by pinyin initials, as a prefix', async () => {
    expect(await names({ name: 'ZW' })).toEqual(expect.arrayContaining(['张伟', '张玮', '张伟明']));
    expect(await names({ name: 'zwm' })).toEqual(['张伟明']);
    expect(await names({ name: 'wx' })).toEqual(['王秀英']);
  });

  it('finds by region prefix and always within the caller’s scope', async () => {
    expect((await names({ region: '370899002' })).sort()).toEqual(
      ['张三峰', '张玮', '王秀英'].sort(),
    );
    const township1 = { kind: 'region', regionCode: '370899001' } as const;
    expect(await names({ name: '张三丰' }, township1)).toEqual(['张三丰']);
    expect(await names({ region: '370899002' }, township1)).toEqual([]);
    expect(await names({ certno: ids.wxy }, township1)).toEqual([]);
  });

  it('pages across names: the exact name’s people, then the similar names’', async () => {
    const page = (n: number) =>
      searchPersons(ctx.db, SYS, { name: '张伟' }, { page: n, pageSize: 1 }, MONTH);
    expect(await page(1)).toMatchObject({ total: 2, items: [{ name: '张伟' }] });
    expect(await page(2)).toMatchObject({ total: 2, items: [{ name: '张伟明' }] });
    expect((await page(3)).items).toEqual([]);
  });

  it('pages, with the total', async () => {
    const p2 = await searchPersons(
      ctx.db,
      SYS,
      { region: '370899' },
      { page: 2, pageSize: 3 },
      MONTH,
    );
    expect(p2.items).toHaveLength(3);
    expect(p2.total).toBe(7);
    const p3 = await searchPersons(
      ctx.db,
      SYS,
      { region: '370899' },
      { page: 3, pageSize: 3 },
      MONTH,
    );
    expect(p3).toMatchObject({ total: 7, totalCapped: false });
    expect(p3.items).toHaveLength(1);
  });

  it('refuses an empty search and a name that is neither characters nor initials', async () => {
    await expect(searchPersons(ctx.db, SYS, {}, PAGE, MONTH)).rejects.toMatchObject({
      code: 'search.empty',
    });
    await expect(searchPersons(ctx.db, SYS, { name: 'z1' }, PAGE, MONTH)).rejects.toMatchObject({
      code: 'name.invalid',
      field: 'name',
    });
  });
});
