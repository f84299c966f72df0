/**
 * A few settled bills, one cancelled, through the settlement service, with accounts created (so
 * the audit log has entries too): data for tests of backup and restore and of the invariants.
 */
import type { Db } from '../../src/db/db.ts';
import { makeId } from '../../src/kernel/idcard.ts';
import { SYSTEM_ACTOR } from '../../src/kernel/access/actor.ts';
import { createRoleAccounts } from '../../src/auth/testing/accounts.ts';
import { loadPackCatalog } from '../../src/settlement/persist/packs.ts';
import { readSettleRequest } from '../../src/settlement/persist/request.ts';
import { SettlementService } from '../../src/settlement/persist/service.ts';
import { enrolForYear } from '../../src/settlement/testing/enrol.ts';
import { registerInstitutions } from '../../src/settlement/testing/institutions.ts';

export const SETTLED_PEOPLE = [
  makeId('370899', '1960-05-01', 11),
  makeId('370899', '1970-01-01', 21),
  makeId('370899', '1980-01-01', 31),
] as const;

export interface Settled {
  settled: number[];
  cancelled: number[];
}

export async function settleSome(db: Db): Promise<Settled> {
  const [poor, plain, far] = SETTLED_PEOPLE;
  await db.exec(`
    INSERT INTO region (code, name, level, parent_code) VALUES
      ('370899', '示范县', 'county', NULL), ('370899001', '城关镇', 'township', '370899'),
      ('370899001001', '城关1村', 'village', '370899001');
    INSERT INTO person (certno, name, gender, birth_date, region_code) VALUES
      ('${poor}', '张三', 'male', '1960-05-01', '370899001001'),
      ('${plain}', '李四', 'male', '1970-01-01', '370899001001'),
      ('${far}', '王五', 'male', '1980-01-01', '370899001001');
    INSERT INTO person_flag (certno, category, from_month, to_month, source)
      VALUES ('${poor}', 'subsistence', '2022-01', NULL, 'civil_affairs');`);
  await enrolForYear(db, SETTLED_PEOPLE);
  await registerInstitutions(db);
  await createRoleAccounts(db);
  const service = new SettlementService(db, await loadPackCatalog());
  const out: Settled = { settled: [], cancelled: [] };
  for (let i = 0; i < 9; i++) {
    const s = await service.settle(
      SYSTEM_ACTOR,
      readSettleRequest({
        msgid: `fixture-${i}`,
        certno: SETTLED_PEOPLE[i % 3]!,
        fixmedinsCode: 'H37089900001',
        bill: {
          date: `2022-0${(i % 9) + 1}-15`,
          visitType: i % 2 === 0 ? 'inpatient' : 'general_outpatient',
          hospitalLevel: 2,
          diagnosis: 'K35.8',
          remote: null,
          lines: [
            { amount: 12000 + i * 100, class: 'A' },
            { amount: 3000, class: 'B' },
            { amount: 500, class: 'C' },
          ],
        },
      }),
    );
    out.settled.push(s.settlementId);
  }
  for (const id of [out.settled[1]!, out.settled[5]!]) {
    await service.cancel(SYSTEM_ACTOR, id, `fixture-cancel-${id}`, '收费员录入错误');
    out.cancelled.push(id);
  }
  return out;
}
