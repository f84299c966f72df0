/**
 * Reconciliation end to end on small lists: import with broken rows, one finding per kind with the
 * action the seed prescribes, the fuzzy path for a changed ID, the dry run and an idempotent apply,
 * and the three-pass closed loop with the problem ledger.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { makeId } from '../kernel/idcard.ts';
import { loadRecord } from '../registry/repo/read.ts';
import { seedRegions, testClock } from '../registry/testing/db.ts';
import { applyPass } from './apply/apply.ts';
import { reconcileContext } from './context.ts';
import { decideCandidate, listCandidates } from './match/find-candidates.ts';
import { closeVerified, getProblem, listProblems, moveProblem } from './ledger/problems.ts';
import { listRejects } from './import/import-list.ts';
import type { FindingKind } from './model.ts';
import { runPass } from './pass/run-pass.ts';
import { createCampaign } from './repo/campaigns.ts';
import { addPeople, BUREAU, csv, importCsv, newId } from './testing.ts';
import { exportFeedback } from './export/feedback-xlsx.ts';
import ExcelJS from 'exceljs';
import { permissionsOf } from '../kernel/access/roles.ts';
import type { Actor } from '../kernel/access/actor.ts';

const SYS = { kind: 'system' } as const;
const H = ['身份证号', '姓名', '村(居)区划代码', '认定日期'];

const P = {
  missing: newId('1950-01-01'),
  dead: newId('1951-01-01'),
  exit: newId('1952-01-01'),
  elsewhere: newId('1953-01-01'),
  employee: newId('1954-01-01'),
  paid: newId('1955-01-01'),
  name: newId('1956-01-01'),
  noEnrol: newId('1957-01-01'),
  notFlagged: newId('1958-01-01'),
  absent: newId('1959-01-01'),
  changedOld: makeId('370899', '1960-06-06', 41),
  changedNew: makeId('370899', '1960-06-06', 97),
} as const;

describeDb('reconciliation', (ctx) => {
  const clock = testClock('2022-09-15');
  const rc = () => reconcileContext(ctx.db, clock.now);
  let campaignId = 0;
  const findings = async (pass: number) => {
    const r = await ctx.db.query<{
      key: string;
      kind: FindingKind;
      detail: Record<string, unknown>;
    }>(
      `SELECT finding_key AS key, kind, detail FROM reconcile_finding
       WHERE campaign_id = $1 AND pass_no = $2 ORDER BY finding_key`,
      [campaignId, pass],
    );
    return r.rows;
  };
  const keyOf = (kind: FindingKind, certno: string, pass = 1) =>
    findings(pass).then((fs) => fs.find((f) => f.kind === kind && f.key.endsWith(certno)));

  beforeAll(async () => {
    await seedRegions(ctx.db);
    await addPeople(ctx.db, [
      { certno: P.missing, name: '张三丰', flags: [{ category: 'subsistence' }], enrolments: [{}] },
      { certno: P.dead, name: '李四', flags: [{ category: 'poverty_returned' }], enrolments: [{}] },
      { certno: P.exit, name: '王五', flags: [{ category: 'poverty_returned' }], enrolments: [{}] },
      {
        certno: P.employee,
        name: '孙七',
        flags: [{ category: 'subsistence' }],
        enrolments: [{ scheme: 'employee', type: 'paid' }],
      },
      {
        certno: P.paid,
        name: '周八',
        flags: [{ category: 'poverty_returned' }],
        enrolments: [{ type: 'paid' }],
      },
      { certno: P.name, name: '王秀英', flags: [{ category: 'subsistence' }], enrolments: [{}] },
      { certno: P.noEnrol, name: '吴九', flags: [{ category: 'poverty_returned' }] },
      { certno: P.notFlagged, name: '郑十', enrolments: [{ type: 'paid' }] },
      { certno: P.absent, name: '冯一', flags: [{ category: 'subsistence' }], enrolments: [{}] },
      {
        certno: P.changedOld,
        name: '陈二',
        village: '370899002001',
        flags: [{ category: 'poverty_returned' }],
        enrolments: [{}],
      },
    ]);
    const c = await createCampaign(ctx.db, BUREAU, {
      name: '2022年医保扶贫数据比对',
      regionCode: '370899',
      medicalYear: 2022,
    });
    campaignId = c.campaignId;
  });

  it('imports a list with broken rows: accepted + rejected = rows read, each reject with a reason', async () => {
    const text = csv(
      ['公民身份号码', '姓名', '死亡日期'],
      [
        [P.dead, '李四', '2022-05-10'],
        ['', '无号', '2022-05-10'],
        ['ABC123', '坏号', '2022-05-10'],
        [P.exit, '', '2022-05-10'],
        [P.paid, '周八', '2022-13-40'],
        [P.paid.slice(0, 17) + (P.paid[17] === '0' ? '1' : '0'), '周八', '2022-05-10'],
        [P.dead, '李四', '2022-05-10'],
        [P.name, '王秀英', '2030-01-01'],
        [',,', '', ''],
      ],
    );
    const r = await importCsv(rc(), campaignId, 'funeral_home', 'deaths', text);
    expect(r.rowsRead).toBe(8);
    expect(r.accepted + r.rejected).toBe(r.rowsRead);
    expect(r.accepted).toBe(2);
    const rejects = await listRejects(rc(), r.listId);
    expect(rejects.map((x) => [x.rowNumber, x.field])).toEqual([
      [3, 'certno'],
      [4, 'certno'],
      [5, 'name'],
      [6, 'eventDate'],
      [8, 'certno'],
      [9, 'eventDate'],
    ]);
    expect(rejects[4]!.reason.zh).toContain('第 2 行');
    // A list of the wrong shape is refused whole and leaves nothing behind.
    await expect(
      importCsv(
        rc(),
        campaignId,
        'funeral_home',
        'deaths',
        csv(['身份证号', '姓名'], [[P.dead, '李四']]),
      ),
    ).rejects.toMatchObject({ code: 'reconcile.missing_column' });
  });

  it('imports the department lists of the campaign (15-digit IDs upgraded, x folded)', async () => {
    const fifteen = (id: string) => id.slice(0, 6) + id.slice(8, 17);
    await importCsv(
      rc(),
      campaignId,
      'rural_revitalisation',
      'poverty_targets',
      csv(H, [
        [P.dead, '李四', '370899001001', ''],
        [fifteen(P.exit), '王五', '370899001001', ''],
        [P.elsewhere, '赵六', '370899001001', ''],
        [P.paid.toLowerCase(), '周八', '370899001001', ''],
        [P.noEnrol, '吴九', '370899001001', ''],
        [P.changedNew, '陈二', '370899002001', ''],
      ]),
    );
    await importCsv(
      rc(),
      campaignId,
      'civil_affairs',
      'subsistence',
      csv(H, [
        [P.missing, '张三丰', '370899001001', '2021-10-01'],
        [P.employee, '孙七', '370899001001', '2021-10-01'],
        [P.name, '王秀瑛', '370899001001', '2021-10-01'],
        [P.notFlagged, '郑十', '370899001001', '2021-11-01'],
      ]),
    );
    const deaths = await importCsv(
      rc(),
      campaignId,
      'funeral_home',
      'deaths',
      csv(['身份证号', '姓名', '火化日期'], [[P.dead, '李四', '2022-05-10']]),
    );
    expect(deaths).toMatchObject({ rowsRead: 1, accepted: 1, rejected: 0 });
    await importCsv(
      rc(),
      campaignId,
      'rural_revitalisation',
      'exits',
      csv(
        ['身份证号', '姓名', '身份类别', '脱贫日期'],
        [[P.exit, '王五', '脱贫享受政策人员', '2022-06-30']],
      ),
    );
    await importCsv(
      rc(),
      campaignId,
      'police',
      'missing',
      csv(['身份证号', '姓名', '失联日期'], [[P.missing, '张三丰', '2022-03-01']]),
    );
    await importCsv(
      rc(),
      campaignId,
      'medical_insurance',
      'insured_elsewhere',
      csv(['身份证号', '姓名', '参保地'], [[P.elsewhere, '赵六', '370881']]),
    );
    await importCsv(
      rc(),
      campaignId,
      'police',
      'household_changes',
      csv(['身份证号', '姓名', '变动类型'], [[P.noEnrol, '吴九', '婚出']]),
    );
  });

  describe('pass 1: one finding per kind, each with its action', () => {
    beforeAll(async () => {
      const r = await runPass(rc(), BUREAU, campaignId);
      expect(r.passNo).toBe(1);
      expect(r.refMonth).toBe('2022-09');
    });

    it('1 missing: marked missing, benefits kept', async () => {
      const f = await keyOf('missing', P.missing);
      expect(f?.detail.since).toBe('2022-03-01');
    });
    it('2 deceased: the death the funeral home reported', async () => {
      expect((await keyOf('ended', P.dead))?.detail).toMatchObject({
        reason: 'death',
        date: '2022-05-10',
      });
    });
    it('2 exited poverty: the flag ends at the month', async () => {
      expect((await keyOf('ended', P.exit))?.detail).toMatchObject({
        reason: 'exit',
        month: '2022-06',
      });
    });
    it('3 insured in another county', async () => {
      expect((await keyOf('other_county', P.elsewhere))?.detail.otherRegion).toBe('370881');
    });
    it('4 insured as an employee', async () => {
      expect((await keyOf('employee', P.employee))?.detail.source).toBe('registry');
    });
    it('5 personal contribution paid: refunded by the rule', async () => {
      expect((await keyOf('contribution_paid', P.paid))?.detail.amount).toBe(35_000);
    });
    it('6 identity differs: the name in the registry goes back', async () => {
      const fs = await findings(1);
      const f = fs.find((x) => x.kind === 'identity_mismatch' && x.key.endsWith(P.name));
      expect(f?.detail).toMatchObject({ registryName: '王秀英', nameDiffers: true });
    });
    it('7 neither payment nor exemption, with the suspected reason', async () => {
      expect((await keyOf('no_contribution', P.noEnrol))?.detail).toMatchObject({
        inRegistry: true,
        suspected: 'married_out',
      });
    });
    it('in the list but not flagged', async () => {
      expect((await keyOf('not_flagged', P.notFlagged))?.detail).toMatchObject({
        recognisedOn: '2021-11-01',
        source: 'civil_affairs',
      });
      // Recognised before the cut-off and paid: the refund is due too.
      expect(await keyOf('contribution_paid', P.notFlagged)).toBeDefined();
    });
    it('flagged but absent from the list', async () => {
      expect(await keyOf('flagged_absent', P.absent)).toBeDefined();
      // Those the lists account for are not absent.
      expect(await keyOf('flagged_absent', P.dead)).toBeUndefined();
      expect(await keyOf('flagged_absent', P.exit)).toBeUndefined();
    });
    it('opens one ledger item per finding, in the person’s township, due in 15 days', async () => {
      const { items, total } = await listProblems(rc(), BUREAU, { campaignId, pageSize: 100 });
      expect(total).toBe((await findings(1)).length);
      const changed = items.find((p) => p.certnoRaw === P.changedNew);
      expect(changed).toMatchObject({ kind: 'identity_mismatch', regionCode: '370899002' });
      expect(items.every((p) => p.state === 'open' && p.dueOn === '2022-09-30')).toBe(true);
    });
  });

  it('finds a changed ID through the fuzzy path; a person confirms it', async () => {
    const cands = await listCandidates(rc(), campaignId, 'proposed');
    const c = cands.find((x) => x.rowCertno === P.changedNew);
    expect(c).toMatchObject({ certno: P.changedOld, name: '陈二' });
    expect(c!.score).toBeGreaterThanOrEqual(80);
    // Until confirmed it is an identity question, not a stranger without insurance.
    expect(await keyOf('no_contribution', P.changedNew)).toBeUndefined();
    const f = (await findings(1)).find(
      (x) => x.key === `identity_mismatch|rural_revitalisation|${P.changedNew}`,
    );
    expect(f?.detail.pendingCandidates).toBe(1);
    expect(await decideCandidate(rc(), BUREAU, c!.candidateId, 'confirmed')).toBe('confirmed');
    await expect(decideCandidate(rc(), BUREAU, c!.candidateId, 'rejected')).rejects.toMatchObject({
      code: 'reconcile.candidate_decided',
    });
  });

  it('dry run lists exactly which flags, enrolments and refunds change, and changes nothing', async () => {
    const dry = await applyPass(rc(), BUREAU, campaignId, { dryRun: true });
    const of = (certno: string) =>
      dry.steps.filter((s) => s.certno === certno).flatMap((s) => s.changes);
    expect(of(P.dead).map((c) => c.what)).toEqual(['person', 'flag.end', 'enrolment.update']);
    expect(of(P.exit)).toEqual([
      {
        what: 'flag.end',
        flagId: expect.any(Number),
        category: 'poverty_returned',
        toMonth: '2022-06',
        endReason: 'exit',
      },
    ]);
    expect(of(P.missing)).toEqual([
      { what: 'person', patch: { status: 'missing', missingSince: '2022-03-01' } },
    ]);
    expect(of(P.paid)).toEqual([
      expect.objectContaining({
        what: 'enrolment.update',
        patch: expect.objectContaining({ refund: 35_000, contributionType: 'fee_exemption' }),
      }),
    ]);
    expect(of(P.notFlagged).map((c) => c.what)).toEqual(['flag.create', 'enrolment.update']);
    expect(dry.counts).toMatchObject({
      flagsCreated: 1,
      flagsEnded: 2,
      refunds: 2,
      refundTotal: 70_000,
    });
    const rec = await loadRecord(ctx.db, SYS, P.dead);
    expect(rec?.person.status).toBe('alive');
  });

  it('applies in batches with audit entries naming the campaign and pass; applying twice changes nothing', async () => {
    const done = await applyPass(rc(), BUREAU, campaignId, { dryRun: false, batchSize: 2 });
    expect(done.counts.steps).toBeGreaterThan(0);
    const dead = await loadRecord(ctx.db, SYS, P.dead);
    expect(dead?.person.status).toBe('deceased');
    expect(dead?.flags[0]).toMatchObject({ toMonth: '2022-05', endReason: 'death' });
    expect(dead?.enrolments[0]).toMatchObject({ benefitTo: '2022-05-10', endReason: 'death' });
    const exit = await loadRecord(ctx.db, SYS, P.exit);
    expect(exit?.flags[0]).toMatchObject({ toMonth: '2022-06', endReason: 'exit' });
    expect(exit?.enrolments[0]).toMatchObject({
      contributionType: 'fee_exemption',
      benefitTo: null,
    });
    expect((await loadRecord(ctx.db, SYS, P.missing))?.person.status).toBe('missing');
    const nf = await loadRecord(ctx.db, SYS, P.notFlagged);
    expect(nf?.flags[0]).toMatchObject({
      category: 'subsistence',
      fromMonth: '2022-01',
      recognisedOn: '2021-11-01',
    });
    expect(nf?.enrolments[0]).toMatchObject({ refund: 35_000, contributionType: 'fee_exemption' });
    const audit = await ctx.db.query<{ reason: string; action: string }>(
      `SELECT reason, action FROM audit_log WHERE certno = $1 ORDER BY seq`,
      [P.dead],
    );
    expect(audit.rows.map((a) => a.action)).toContain('registry.person.death');
    expect(audit.rows[0]!.reason).toContain(`campaign ${campaignId} pass 1`);

    const again = await applyPass(rc(), BUREAU, campaignId, { dryRun: false });
    expect(again.counts.steps).toBe(0);
    expect(again.steps).toEqual([]);
    const n = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_log WHERE certno = $1',
      [P.dead],
    );
    expect(n.rows[0]!.n).toBe(audit.rows.length);
  });

  it('three passes: pass 2 shows the fixes, pass 3 confirms them and the bureau closes them (销号)', async () => {
    clock.set('2022-10-10');
    const township: Actor = {
      ...BUREAU,
      id: 'u-town',
      name: '城关镇医保所',
      roles: ['township_office'],
      permissions: permissionsOf(['township_office']),
      scope: { kind: 'region', regionCode: '370899001' },
    };
    const two = await runPass(rc(), BUREAU, campaignId);
    expect(two.passNo).toBe(2);
    // Applied in pass 1: death, exit, missing, refunds, the added flag — all fixed now.
    expect(two.summary.byKind.ended.fixed).toBe(2);
    expect(two.summary.byKind.missing.fixed).toBe(1);
    expect(two.summary.byKind.contribution_paid.fixed).toBe(2);
    expect(two.summary.byKind.not_flagged.fixed).toBe(1);
    expect(two.summary.byKind.flagged_absent).toMatchObject({ fixed: 1, still_open: 1 });
    expect(two.summary.byKind.employee.still_open).toBe(1);
    // The confirmed candidate: still an identity finding (the right ID goes back), now matched.
    const idf = (await findings(2)).find(
      (x) => x.key === `identity_mismatch|rural_revitalisation|${P.changedNew}`,
    );
    expect(idf?.detail).toMatchObject({ viaCandidate: true, registryCertno: P.changedOld });
    const fixed = await listProblems(rc(), BUREAU, {
      campaignId,
      state: 'rectified',
      pageSize: 100,
    });
    // …and the changed-ID person, flagged but absent while the row was unmatched, is on the list.
    expect(fixed.items.map((p) => p.findingKey)).toContain(
      `flagged_absent|poverty_returned|${P.changedOld}`,
    );
    expect(fixed.total).toBe(7);

    // Township 001 works its items: the employee goes on the ledger (accepted); the absent flag
    // is claimed fixed although nothing changed.
    const mine = await listProblems(rc(), township, { campaignId, pageSize: 100 });
    expect(mine.items.every((p) => p.regionCode.startsWith('370899001'))).toBe(true);
    expect(mine.items.some((p) => p.certnoRaw === P.changedNew)).toBe(false);

    // A department sees its own problems within its region, none of another county's.
    const civil = (regionCode: string): Actor => ({
      ...BUREAU,
      id: 'u-civil',
      name: '民政局',
      roles: ['civil_affairs'],
      permissions: permissionsOf(['civil_affairs']),
      scope: { kind: 'department', department: 'civil_affairs', regionCode },
    });
    const ours = await listProblems(rc(), civil('370899'), { campaignId, pageSize: 100 });
    expect(ours.total).toBeGreaterThan(0);
    expect(ours.items.every((p) => p.department === 'civil_affairs')).toBe(true);
    const township2 = await listProblems(rc(), civil('370899002'), { campaignId, pageSize: 100 });
    expect(township2.items.every((p) => p.regionCode.startsWith('370899002'))).toBe(true);
    expect(township2.total).toBeLessThan(ours.total);
    expect((await listProblems(rc(), civil('370898'), { campaignId, pageSize: 100 })).total).toBe(
      0,
    );
    const emp = mine.items.find((p) => p.kind === 'employee')!;
    await moveProblem(rc(), township, emp.problemId, {
      action: 'rectify',
      resolution: 'employee_ledger',
      comment: '已纳入职工医保台账',
    });
    const absent = mine.items.find((p) => p.kind === 'flagged_absent')!;
    await moveProblem(rc(), township, absent.problemId, { action: 'rectify', comment: '已核实' });
    await expect(
      moveProblem(rc(), township, absent.problemId, { action: 'verify' }),
    ).rejects.toMatchObject({ code: 'auth.forbidden' });
    const other = (
      await listProblems(rc(), BUREAU, { campaignId, kind: 'identity_mismatch', pageSize: 100 })
    ).items.find((p) => p.certnoRaw === P.changedNew)!;
    await expect(
      moveProblem(rc(), township, other.problemId, { action: 'comment', comment: 'x' }),
    ).rejects.toMatchObject({ code: 'reconcile.problem_not_found' });

    clock.set('2022-11-10');
    const three = await runPass(rc(), BUREAU, campaignId);
    expect(three.summary.byKind.employee.accepted).toBe(1);
    expect(three.summary.byKind.flagged_absent.still_open).toBe(1);
    const reopened = await getProblem(rc(), BUREAU, absent.problemId);
    expect(reopened.state).toBe('open');
    expect(reopened.history.map((h) => h.event)).toEqual(['created', 'rectify', 'reopened']);
    // The fixes of pass 2 are confirmed by pass 3 (回头看) and closed by the bureau.
    expect((await listProblems(rc(), BUREAU, { campaignId, state: 'verified' })).total).toBe(7);
    expect(await closeVerified(rc(), BUREAU, campaignId, '三轮比对确认，销号')).toBe(7);
    const closed = await listProblems(rc(), BUREAU, { campaignId, state: 'closed', pageSize: 100 });
    expect(closed.items.map((p) => p.kind).sort()).toEqual([
      'contribution_paid',
      'contribution_paid',
      'ended',
      'ended',
      'flagged_absent',
      'missing',
      'not_flagged',
    ]);
    const h = await getProblem(rc(), BUREAU, closed.items[0]!.problemId);
    expect(h.history.map((e) => [e.event, e.passNo])).toEqual([
      ['created', 1],
      ['fixed', 2],
      ['verified', 3],
      ['close', null],
    ]);
    // Overdue: open items past their due date.
    const overdue = await listProblems(rc(), BUREAU, { campaignId, overdue: true, pageSize: 100 });
    expect(overdue.items.length).toBeGreaterThan(0);
    expect(overdue.items.every((p) => p.overdue && p.state === 'open')).toBe(true);
  });

  it('exports the feedback of a pass as XLSX with Chinese headers', async () => {
    const chunks: Buffer[] = [];
    const out = new (await import('node:stream')).PassThrough();
    out.on('data', (c: Buffer) => chunks.push(c));
    const r = await exportFeedback(rc(), BUREAU, campaignId, 2, out);
    expect(r.rows).toBeGreaterThan(5);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['比对结果', '汇总', '说明']);
    const header = (wb.worksheets[0]!.getRow(1).values as string[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['序号', '问题类型', '本轮变化', '来源部门']);
    const kinds = new Set<string>();
    wb.worksheets[0]!.eachRow((row, n) => {
      if (n > 1) kinds.add(`${String(row.getCell(2).value)}/${String(row.getCell(3).value)}`);
    });
    expect(kinds).toContain('死亡、脱贫或取消待遇/已整改');
    // The employee item was accepted (on the employee ledger) after pass 2.
    expect(kinds).toContain('参加职工医保/已认可（情况属实）');
    expect(kinds).toContain('已标识但不在名单/仍存在');
  });
});
