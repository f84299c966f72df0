import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../../kernel/access/actor.ts';
import { verifyAudit } from '../../app/audit.ts';
import { endOfDay } from '../../kernel/clock.ts';
import { flagHolds } from '../model.ts';
import { loadRecord } from '../repo/read.ts';
import { loadRecordAsOf, listVersions } from '../repo/as-of.ts';
import {
  nextCertno,
  seedRegions,
  testClock,
  testContext,
  VILLAGE_1,
  VILLAGE_2,
} from '../testing/db.ts';
import { enrol, refundContribution, stopEmployeeInsurance } from './enrolments.ts';
import { addFlag, endFlagFor } from './flags.ts';
import { markFoundFor, markMissingFor, recordDeathFor } from './life-events.ts';
import { registerPerson, updatePersonFields } from './people.ts';

const SYS = { kind: 'system' } as const;
const staff: Actor = {
  ...SYSTEM_ACTOR,
  id: 'u-staff',
  name: '经办员',
  roles: ['bureau_staff'],
  scope: { kind: 'region', regionCode: '370899001' },
};

describeDb('registry services', (ctx) => {
  const clock = testClock('2022-01-10');
  const reg = () => testContext(ctx.db, clock);

  beforeAll(async () => {
    await seedRegions(ctx.db);
  });

  async function person(region = VILLAGE_1) {
    const certno = nextCertno();
    await registerPerson(
      reg(),
      staff,
      { certno, name: '李建国', regionCode: region, householdId: 'H1', phone: null },
      '新参保',
    );
    return certno;
  }

  it('registers a person with gender and birth date from the ID, pinyin initials, version 1', async () => {
    const certno = await person();
    const rec = await loadRecord(ctx.db, SYS, certno);
    expect(rec?.person).toMatchObject({
      name: '李建国',
      birthDate: '1970-01-01',
      namePinyinInitials: 'ljg',
      version: 1,
      updatedBy: 'u-staff',
      changeReason: '新参保',
    });
    await expect(
      registerPerson(
        reg(),
        staff,
        { certno, name: 'x', regionCode: VILLAGE_1, householdId: null, phone: null },
        'again',
      ),
    ).rejects.toMatchObject({ code: 'person.exists' });
    // A township office cannot register someone in another township.
    await expect(
      registerPerson(
        reg(),
        staff,
        {
          certno: nextCertno(),
          name: '张三',
          regionCode: VILLAGE_2,
          householdId: null,
          phone: null,
        },
        'x',
      ),
    ).rejects.toMatchObject({ code: 'region.out_of_scope' });
  });

  it('records a death: enrolment and flags interrupted at the month of death, versions and audit written', async () => {
    clock.set('2022-01-10');
    const certno = await person();
    await addFlag(
      reg(),
      staff,
      certno,
      {
        category: 'subsistence',
        fromMonth: '2022-01',
        toMonth: null,
        source: 'civil_affairs',
        evidenceNo: 'MZ-1',
        recognisedOn: '2021-12-20',
      },
      '民政认定',
    );
    await enrol(
      reg(),
      staff,
      certno,
      {
        year: 2022,
        scheme: 'resident',
        contributionType: 'fee_exemption',
        contribution: 0,
        fundedAmount: 0,
        funder: null,
        enrolledOn: '2021-12-20',
      },
      '集中参保',
    );
    clock.set('2022-06-20');
    const { record } = await recordDeathFor(reg(), staff, certno, '2022-06-15', '殡仪馆数据比对');
    expect(record.person).toMatchObject({
      status: 'deceased',
      deathDate: '2022-06-15',
      version: 2,
    });
    expect(record.flags[0]).toMatchObject({ toMonth: '2022-06', endReason: 'death', version: 2 });
    expect(record.enrolments[0]).toMatchObject({
      benefitFrom: '2022-01-01',
      benefitTo: '2022-06-15',
      endReason: 'death',
    });
    // Re-read from the database: the same.
    const again = await loadRecord(ctx.db, SYS, certno);
    expect(again).toEqual(record);
    // Three records changed, three versions kept, and the audit chain holds.
    const versions = await listVersions(ctx.db, certno);
    expect(
      versions
        .filter((v) => v.validTo !== null)
        .map((v) => v.entity)
        .sort(),
    ).toEqual(['enrolment', 'person', 'person_flag']);
    const audit = await ctx.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE certno = $1 ORDER BY seq`,
      [certno],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'registry.person.create',
      'registry.flag.create',
      'registry.enrolment.create',
      'registry.person.death',
      'registry.person.death',
      'registry.person.death',
    ]);
    expect((await verifyAudit(ctx.db)).ok).toBe(true);
  });

  it('answers as-of a day across a flag change, flags included', async () => {
    clock.set('2022-02-01');
    const certno = await person();
    clock.set('2022-03-01');
    const { record } = await addFlag(
      reg(),
      staff,
      certno,
      {
        category: 'poverty_returned',
        fromMonth: '2022-03',
        toMonth: null,
        source: 'rural_revitalisation',
        evidenceNo: null,
        recognisedOn: '2022-02-25',
      },
      '乡村振兴局认定',
    );
    const flagId = record.flags[0]!.flagId;
    clock.set('2022-09-05');
    await endFlagFor(reg(), staff, certno, flagId, '2022-08', 'exit', '脱贫不享受待遇');

    const on = async (day: string) => loadRecordAsOf(ctx.db, SYS, certno, endOfDay(day));
    expect(await on('2022-01-31')).toBeNull(); // not yet registered
    expect((await on('2022-02-15'))?.flags).toEqual([]);
    expect((await on('2022-03-01'))?.flags[0]).toMatchObject({
      toMonth: null,
      endReason: null,
      version: 1,
    });
    expect((await on('2022-09-04'))?.flags[0]).toMatchObject({ toMonth: null, version: 1 });
    expect((await on('2022-09-05'))?.flags[0]).toMatchObject({
      toMonth: '2022-08',
      endReason: 'exit',
      version: 2,
    });
    // Outside the caller's scope the person does not exist, whatever the day.
    expect(
      await loadRecordAsOf(
        ctx.db,
        { kind: 'region', regionCode: '370899002' },
        certno,
        endOfDay('2022-09-05'),
      ),
    ).toBeNull();
  });

  it('keeps benefits of a missing person whose family keeps looking, then takes them back', async () => {
    clock.set('2022-04-01');
    const certno = await person();
    await addFlag(
      reg(),
      staff,
      certno,
      {
        category: 'extreme_poverty',
        fromMonth: '2022-01',
        toMonth: null,
        source: 'civil_affairs',
        evidenceNo: null,
        recognisedOn: null,
      },
      '认定',
    );
    const before = await loadRecord(ctx.db, SYS, certno);
    const { record } = await markMissingFor(
      reg(),
      staff,
      certno,
      '2022-03-20',
      true,
      '家属不放弃寻找',
    );
    expect(record.person).toMatchObject({ status: 'missing', missingSince: '2022-03-20' });
    expect(record.flags).toEqual(before?.flags);
    const back = await markFoundFor(reg(), staff, certno, '已返回');
    expect(back.record.person.status).toBe('alive');
  });

  it('moves a poverty-category employee to resident insurance, fee-exempt, when employee insurance stops', async () => {
    clock.set('2022-01-05');
    const certno = await person();
    await addFlag(
      reg(),
      staff,
      certno,
      {
        category: 'poverty_returned',
        fromMonth: '2021-01',
        toMonth: null,
        source: 'rural_revitalisation',
        evidenceNo: null,
        recognisedOn: null,
      },
      '认定',
    );
    await enrol(
      reg(),
      staff,
      certno,
      {
        year: 2022,
        scheme: 'employee',
        contributionType: 'paid',
        contribution: 0,
        fundedAmount: 0,
        funder: null,
        enrolledOn: '2022-01-05',
      },
      '职工参保',
    );
    clock.set('2022-07-03');
    const { record } = await stopEmployeeInsurance(reg(), staff, certno, '2022-07', '职工医保中断');
    const resident = record.enrolments.find((e) => e.scheme === 'resident');
    expect(resident).toMatchObject({
      contributionType: 'fee_exemption',
      benefitFrom: '2022-07-01',
      medicalYear: 2022,
    });
    expect(record.enrolments.find((e) => e.scheme === 'employee')).toMatchObject({
      benefitTo: '2022-06-30',
      endReason: 'stopped',
    });
  });

  it('refunds a 低保 recognised by the cut-off and enrols fee-exempt one not yet enrolled', async () => {
    clock.set('2022-01-03');
    const early = await person();
    await addFlag(
      reg(),
      staff,
      early,
      {
        category: 'subsistence',
        fromMonth: '2022-01',
        toMonth: null,
        source: 'civil_affairs',
        evidenceNo: null,
        recognisedOn: '2021-12-28',
      },
      '认定',
    );
    await enrol(
      reg(),
      staff,
      early,
      {
        year: 2022,
        scheme: 'resident',
        contributionType: 'paid',
        contribution: 35_000,
        fundedAmount: 0,
        funder: null,
        enrolledOn: '2021-11-01',
      },
      '缴费',
    );
    clock.set('2022-03-15');
    const r = await refundContribution(reg(), staff, early, 2022, '低保退费');
    expect(r.result).toMatchObject({ kind: 'refund', amount: 35_000 });
    expect(r.record.enrolments[0]).toMatchObject({
      refund: 35_000,
      refundedOn: '2022-03-15',
      contributionType: 'fee_exemption',
    });

    const late = await person();
    await addFlag(
      reg(),
      staff,
      late,
      {
        category: 'subsistence',
        fromMonth: '2022-03',
        toMonth: null,
        source: 'civil_affairs',
        evidenceNo: null,
        recognisedOn: '2022-03-01',
      },
      '认定',
    );
    const e = await refundContribution(reg(), staff, late, 2022, '免缴费认定');
    expect(e.result.kind).toBe('enrol_fee_exempt');
    expect(e.record.enrolments[0]).toMatchObject({
      contributionType: 'fee_exemption',
      benefitFrom: '2022-03-15',
    });
  });

  it('versions a change of village and refuses a change that changes nothing', async () => {
    clock.set('2022-05-01');
    const certno = await person();
    const system = { ...SYSTEM_ACTOR };
    const p = await updatePersonFields(
      reg(),
      system,
      certno,
      { regionCode: VILLAGE_2, phone: '13800000000' },
      '迁居',
    );
    expect(p).toMatchObject({ regionCode: VILLAGE_2, phone: '13800000000', version: 2 });
    await expect(
      updatePersonFields(reg(), system, certno, { phone: '13800000000' }, 'x'),
    ).rejects.toMatchObject({ code: 'person.no_change' });
    await expect(
      updatePersonFields(reg(), system, certno, { phone: '13900000000' }, ' '),
    ).rejects.toMatchObject({ code: 'reason.required' });
    // The staff member's township no longer holds this person.
    await expect(recordDeathFor(reg(), staff, certno, '2022-04-01', 'x')).rejects.toMatchObject({
      code: 'person.not_found',
    });
    expect(flagHolds({ fromMonth: '2022-01', toMonth: null }, '2022-05')).toBe(true);
  });
});
