/**
 * Data scope × role over every route that names a person or a settlement (so routes added later
 * are covered): for each role and each such route it may call, a person or settlement outside the
 * role's scope must be answered exactly as one that does not exist (status, code, field), and one
 * inside it must be found. Writes are sent only to the outside and the non-existent targets.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { makeId } from '../kernel/idcard.ts';
import { registeredRoutes, type RegisteredRoute } from './plugin.ts';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../kernel/access/roles.ts';
import {
  bearer,
  createRoleAccounts,
  PEOPLE,
  seedPeople,
  TEST_INSTITUTION,
} from './testing/accounts.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { enrolForYear } from '../settlement/testing/enrol.ts';
import { seedRegions } from '../registry/testing/db.ts';
import { loadPackCatalog } from '../settlement/persist/packs.ts';
import { SettlementService } from '../settlement/persist/service.ts';
import { readSettleRequest } from '../settlement/persist/request.ts';
import { localDate } from '../kernel/clock.ts';
import { ReplayService } from '../replay/service.ts';

/** Registered in another county: outside every county-wide scope. */
const OUTSIDER = makeId('370898', '1975-02-03', 13);
/** A valid ID number nobody registered. */
const NOBODY = makeId('370899', '1990-01-01', 99);
const OTHER_INSTITUTION = 'H37089900002';

/** Whom each role sees, and a person it does not. */
const TARGETS: Record<Role, { inside: string; outside: string }> = {
  bureau_admin: { inside: PEOPLE.plain, outside: OUTSIDER },
  bureau_staff: { inside: PEOPLE.plain, outside: OUTSIDER },
  township_office: { inside: PEOPLE.own, outside: PEOPLE.plain },
  designated_institution: { inside: PEOPLE.own, outside: PEOPLE.plain },
  civil_affairs: { inside: PEOPLE.other, outside: PEOPLE.plain },
  family_doctor: { inside: PEOPLE.own, outside: PEOPLE.plain },
  expert_reviewer: { inside: PEOPLE.plain, outside: OUTSIDER },
  auditor: { inside: PEOPLE.plain, outside: OUTSIDER },
  police: { inside: PEOPLE.own, outside: PEOPLE.plain },
  village_head: { inside: PEOPLE.own, outside: PEOPLE.plain },
};

// The bill names its institution (a registered one: its level is the bill's).
const bill = (certno: string, msgid: string) => ({
  msgid,
  certno,
  fixmedinsCode: TEST_INSTITUTION,
  bill: {
    date: '2022-06-01',
    visitType: 'general_outpatient' as const,
    diagnosis: 'J06.9',
    lines: [{ amount: 100, class: 'A' as const }],
  },
});

/** The bureau's day: a screening visit is recorded on it. */
const today = () => localDate(new Date());

/** A body that passes validation, so the answer is the scope's and not the schema's. */
function bodyFor(route: RegisteredRoute, certno: string): unknown {
  const reason = '范围测试';
  const byUrl: Record<string, unknown> = {
    '/api/v1/chronic/screenings/:id/people/:certno/visit': {
      visitedOn: today(),
      notApplying: 'no_outpatient_need',
    },
    '/api/v1/persons/:certno': { phone: '13800000000', reason },
    '/api/v1/persons/:certno/death': { deathDate: '2022-05-01', reason },
    '/api/v1/persons/:certno/missing': { since: '2022-05-01', familyKeepsLooking: true, reason },
    '/api/v1/persons/:certno/found': { reason },
    '/api/v1/persons/:certno/flags': { category: 'subsistence', from: '2022-01', reason },
    '/api/v1/persons/:certno/flags/:flagId/end': {
      month: '2022-06',
      endReason: 'exit',
      reason,
    },
    '/api/v1/persons/:certno/enrolments': {
      year: 2023,
      scheme: 'resident',
      contributionType: 'paid',
      contribution: 380,
      enrolledOn: '2022-12-01',
      reason,
    },
    '/api/v1/persons/:certno/enrolments/employee-stop': { stoppedFrom: '2022-06', reason },
    '/api/v1/persons/:certno/refund': { year: 2022, reason },
    '/api/v1/settlements': bill(certno, `scope-${certno.slice(-6)}`),
    '/api/v1/settlements/presettle': bill(certno, `scope-p-${certno.slice(-6)}`),
    '/api/v1/settlements/:id/cancel': { msgid: 'scope-cancel', reason },
    '/api/v1/chronic/certificates/:certno/diseases/:disease/end': {
      reason: 'revoked',
      on: '2022-06-01',
    },
    '/api/v1/care/persons/:certno/contracts': {
      doctor: '刘医生',
      team: '一队',
      fixmedinsCode: TEST_INSTITUTION,
      validFrom: '2022-01-01',
    },
    '/api/v1/care/persons/:certno/followups': {
      visitedOn: today(),
      visitor: '刘医生',
      healthStatus: 'stable',
      outpatientNeed: false,
    },
    '/api/v1/care/persons/:certno/spot-checks': { checkedOn: today(), finding: 'accurate' },
    '/api/v1/care/persons/:certno/delivery-eligibility': {
      disability: 'disabled',
      disease: 'M002',
      diagnosis: 'E11.9',
      fixmedinsCode: TEST_INSTITUTION,
      confirmedOn: today(),
    },
    '/api/v1/care/persons/:certno/delivery-eligibility/end': { endedOn: today(), reason },
    '/api/v1/care/persons/:certno/deliveries': {
      deliveredOn: today(),
      deliveredBy: '刘医生',
      confirmedBy: 'patient',
      confirmerName: '本人',
      lines: [{ itemCode: 'X1', amount: 10, days: 30 }],
    },
    '/api/v1/care/teams/:certno': {
      members: [{ role: 'village_head', name: '村主任', contact: '13800000000' }],
      on: '2022-06-01',
    },
    '/api/v1/care/teams/:certno/visits': {
      visitedOn: '2022-06-01',
      visitor: '村医',
      condition: 'stable',
      medicationAsPrescribed: true,
      riskLevel: 0,
    },
    '/api/v1/care/teams/:certno/reports': {
      reportedOn: '2022-06-01',
      treatment: '对症处置',
      referredTo: '县精神康复医院',
    },
  };
  return byUrl[route.url];
}

/** A screening's routes name the run by `:id`, the person by `:certno`. */
const screening = (route: RegisteredRoute) => route.url.startsWith('/api/v1/chronic/screenings/');

interface Answer {
  status: number;
  code: string | undefined;
  field: string | null | undefined;
}

describeDb('data scope × role matrix', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  /** Settlements: one of PEOPLE.own at the test institution, one of PEOPLE.plain elsewhere. */
  let ownSettlement: number;
  let plainSettlement: number;
  /** Each seeded person's settlement, by ID number. */
  const settlementOf = new Map<string, number>();
  /** A county-wide screening listing every seeded person and the outsider. */
  let screeningId: number;

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    await seedPeople(ctx.db);
    await seedRegions(ctx.db);
    await ctx.db.query(
      `INSERT INTO person (certno, name, gender, birth_date, region_code)
       VALUES ($1, '赵外县', 'male', '1975-02-03', '370898001001')`,
      [OUTSIDER],
    );
    await enrolForYear(ctx.db, [OUTSIDER]);
    const service = new SettlementService(ctx.db, await loadPackCatalog());
    const settle = async (certno: string, fix: string, msgid: string) =>
      (
        await service.settle(
          SYSTEM_ACTOR,
          readSettleRequest({ ...bill(certno, msgid), fixmedinsCode: fix }),
        )
      ).settlementId;
    ownSettlement = await settle(PEOPLE.own, TEST_INSTITUTION, 'scope-own');
    plainSettlement = await settle(PEOPLE.plain, OTHER_INSTITUTION, 'scope-plain');
    settlementOf.set(PEOPLE.own, ownSettlement);
    settlementOf.set(PEOPLE.plain, plainSettlement);
    settlementOf.set(PEOPLE.other, await settle(PEOPLE.other, OTHER_INSTITUTION, 'scope-other'));
    // Certificates of the people the roles see, so a certificate read inside the scope finds one.
    const certified: [string, string][] = [
      [PEOPLE.plain, '370899002001'],
      [PEOPLE.own, '370899001001'],
    ];
    for (const [certno, region] of certified) {
      await ctx.db.query(
        `INSERT INTO chronic_certificate (certno, certificate_no, region_code, issued_on, source, created_by)
         VALUES ($1, $2, $3, '2022-01-01', 'import', 'scope-test')`,
        [certno, `MT-${certno.slice(-6)}`, region],
      );
      await ctx.db.query(
        `INSERT INTO chronic_certificate_disease (certno, disease, valid_from) VALUES ($1, 'M002', '2022-01-01')`,
        [certno],
      );
    }
    const run = await ctx.db.query<{ screening_id: number }>(
      `INSERT INTO chronic_screening (period_from, period_to, criteria, created_by)
       VALUES ('2022-01-01', '2022-12-31', $1, 'test') RETURNING screening_id`,
      [
        JSON.stringify({
          periodFrom: '2022-01-01',
          periodTo: '2022-12-31',
          categories: [],
          regionCode: null,
          county: '370899',
          pack: 'demo-2022',
          severeMental: 'S004',
        }),
      ],
    );
    screeningId = run.rows[0]!.screening_id;
    // Care teams of the people the roles see, so a team read inside the scope finds one.
    await ctx.db.query(
      `INSERT INTO care_team (certno, region_code, formed_on, created_by)
       SELECT certno, region_code, '2022-01-01', 'scope-test' FROM person WHERE certno = ANY($1::bpchar[])`,
      [[PEOPLE.own, PEOPLE.plain, PEOPLE.other]],
    );
    await ctx.db.query(
      `INSERT INTO chronic_screening_person (certno, screening_id, region_code, diseases, diagnoses)
       SELECT certno, $1, region_code, '{M004}', '{I63.9}' FROM person`,
      [screeningId],
    );
    return () => app.close();
  });

  /** Every route that names a person (:certno) or a settlement (/settlements…). */
  const personal = () =>
    registeredRoutes(app).filter(
      (r) =>
        r.method !== 'HEAD' &&
        r.access().kind === 'permission' &&
        (r.url.includes(':certno') || r.url.startsWith('/api/v1/settlements')),
    );

  async function call(
    role: Role,
    route: RegisteredRoute,
    target: { certno: string; settlementId: number },
    write: boolean,
  ): Promise<Answer> {
    const url = route.url
      .replace(':certno', target.certno)
      .replace(':id', String(screening(route) ? screeningId : target.settlementId))
      .replace(':flagId', '1')
      .replace(':disease', 'M002');
    const opts: InjectOptions = {
      method: route.method as InjectOptions['method'],
      url,
      headers: await bearer(ctx.db, ids[role]),
      query: url.endsWith('/accumulators') ? { year: '2022' } : {},
    };
    if (write) opts.payload = bodyFor(route, target.certno) ?? {};
    const r = await app.inject(opts);
    const body = String(r.headers['content-type']).includes('json') ? r.json() : {};
    return { status: r.statusCode, code: body.code, field: body.field };
  }

  it('covers the person and settlement routes', () => {
    const urls = personal().map((r) => r.url);
    for (const u of [
      '/api/v1/persons/:certno',
      '/api/v1/persons/:certno/settlements',
      '/api/v1/settlements/:id',
      '/api/v1/settlements',
      '/api/v1/chronic/certificates/:certno',
      '/api/v1/chronic/persons/:certno/chronic',
      '/api/v1/chronic/screenings/:id/people/:certno/visit',
      '/api/v1/care/persons/:certno',
      '/api/v1/care/persons/:certno/followups',
      '/api/v1/care/persons/:certno/deliveries',
      '/api/v1/care/teams/:certno',
      '/api/v1/care/teams/:certno/visits',
    ])
      expect(urls).toContain(u);
  });

  it.each(ROLES)('%s: outside its scope is indistinguishable from non-existent', async (role) => {
    const granted = new Set<string>(ROLE_PERMISSIONS[role]);
    const { inside, outside } = TARGETS[role];
    // A settlement of someone outside the scope (for a hospital: of another institution); the
    // outsider of another county has none.
    const outsideSettlement = settlementOf.get(outside) ?? -1;
    const insideSettlement = settlementOf.get(inside)!;
    const wrong: string[] = [];
    let compared = 0;
    for (const route of personal()) {
      const a = route.access();
      if (a.kind !== 'permission' || !granted.has(a.permission)) continue;
      const write = route.method !== 'GET';
      const bySettlement = route.url.includes(':id') && !screening(route);
      if (bySettlement && outsideSettlement < 0) continue;
      const out = await call(
        role,
        route,
        { certno: outside, settlementId: bySettlement ? outsideSettlement : 0 },
        write,
      );
      const none = await call(
        role,
        route,
        { certno: NOBODY, settlementId: bySettlement ? 999_999_999 : 0 },
        write,
      );
      compared++;
      if (out.status !== none.status || out.code !== none.code || out.field !== none.field) {
        wrong.push(
          `${route.method} ${route.url}: outside ${JSON.stringify(out)} ≠ none ${JSON.stringify(none)}`,
        );
      }
      if (out.status < 300)
        wrong.push(`${route.method} ${route.url}: outside answered ${out.status}`);
      if (!write) {
        const seen = await call(
          role,
          route,
          { certno: inside, settlementId: bySettlement ? insideSettlement : 0 },
          false,
        );
        if (seen.status === 404) {
          wrong.push(`${route.method} ${route.url}: inside answered 404 ${JSON.stringify(seen)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(0);
  });

  it.each(ROLES)(
    "%s: another institution's payment statement or ledger answers as a nonexistent one",
    async (role) => {
      // Payment routes name an institution, not a person (docs/payment.md §9).
      const routes = registeredRoutes(app).filter(
        (r) =>
          r.method === 'GET' &&
          r.url.startsWith('/api/v1/payment/') &&
          r.url.includes(':fixmedinsCode'),
      );
      expect(routes.map((r) => r.url).sort()).toEqual([
        '/api/v1/payment/ledger/:fixmedinsCode',
        '/api/v1/payment/statements/:fixmedinsCode',
      ]);
      const headers = await bearer(ctx.db, ids[role]);
      const granted = new Set<string>(ROLE_PERMISSIONS[role]);
      const ask = async (url: string, code: string) => {
        const r = await app.inject({
          url: url.replace(':fixmedinsCode', code),
          headers,
          query: url.includes('/ledger/') ? { year: '2022' } : { year: '2022', month: '6' },
        });
        return { status: r.statusCode, code: r.json().code, field: r.json().field };
      };
      const wrong: string[] = [];
      for (const route of routes) {
        const a = route.access();
        if (a.kind !== 'permission') continue;
        const other = await ask(route.url, OTHER_INSTITUTION);
        const none = await ask(route.url, 'H00000000000');
        if (!granted.has(a.permission)) {
          if (other.status !== 403) wrong.push(`${route.url}: ${other.status} without permission`);
          continue;
        }
        if (role === 'designated_institution') {
          if (JSON.stringify(other) !== JSON.stringify(none) || other.status !== 404)
            wrong.push(
              `${route.url}: other ${JSON.stringify(other)} ≠ none ${JSON.stringify(none)}`,
            );
          const own = await ask(route.url, TEST_INSTITUTION);
          if (own.status !== 200) wrong.push(`${route.url}: own answered ${own.status}`);
        } else if (other.status !== 200) {
          wrong.push(`${route.url}: another institution answered ${other.status} to ${role}`);
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  it('a hospital cannot settle or pre-settle a resident it never registered a visit for', async () => {
    const headers = await bearer(ctx.db, ids.designated_institution);
    for (const url of ['/api/v1/settlements', '/api/v1/settlements/presettle']) {
      const r = await app.inject({
        method: 'POST',
        url,
        headers,
        payload: bill(PEOPLE.plain, 'pull-in-1'),
      });
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('person.not_found');
    }
    // …and so the resident never entered its scope.
    const read = await app.inject({ url: `/api/v1/persons/${PEOPLE.plain}`, headers });
    expect(read.statusCode).toBe(404);
  });

  it('a hospital sees of its patient what the national person query answers, no more', async () => {
    const headers = await bearer(ctx.db, ids.designated_institution);
    const r = await app.inject({ url: `/api/v1/persons/${PEOPLE.own}`, headers });
    expect(r.statusCode).toBe(200);
    const rec = r.json();
    expect(rec.person).toMatchObject({ name: '王秀英', phone: null, householdId: null });
    expect(rec.person.regionCode).toBe('370899');
    expect(rec.flags.map((f: { category: string }) => f.category)).not.toContain('severe_mental');
    for (const e of rec.enrolments) expect(e.contribution).toBeNull();
    const history = await app.inject({ url: `/api/v1/persons/${PEOPLE.own}/history`, headers });
    expect(history.statusCode).toBe(403);
  });

  it('a repeated msgid of another institution discloses nothing of its settlement', async () => {
    // The test institution registers PEOPLE.plain's visit first, so the person is its patient too.
    await ctx.db.query('INSERT INTO institution_patient (certno, fixmedins_code) VALUES ($1, $2)', [
      PEOPLE.plain,
      TEST_INSTITUTION,
    ]);
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: await bearer(ctx.db, ids.designated_institution),
      payload: bill(PEOPLE.plain, 'scope-plain'),
    });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'settlement.msgid_reused' });
    expect(r.body).not.toContain(OTHER_INSTITUTION);
    // Bureau staff's own repeat still gets the first answer; a colleague's does not.
    const staff = await bearer(ctx.db, ids.bureau_staff);
    const first = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: staff,
      payload: { ...bill(PEOPLE.other, 'staff-1'), fixmedinsCode: TEST_INSTITUTION },
    });
    expect(first.statusCode).toBe(200);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: staff,
      payload: { ...bill(PEOPLE.other, 'staff-1'), fixmedinsCode: TEST_INSTITUTION },
    });
    expect(again.json().settlementId).toBe(first.json().settlementId);
    const colleague = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: await bearer(ctx.db, ids.bureau_admin),
      payload: { ...bill(PEOPLE.other, 'staff-1'), fixmedinsCode: TEST_INSTITUTION },
    });
    expect(colleague.statusCode).toBe(409);
  });

  it('masks a backstop programme tied to a psychiatric condition for readers without the permission', async () => {
    await ctx.db.query(
      `UPDATE settlement SET backstop_programme = 'mental_disorder_backstop'
        WHERE certno = $1 AND settlement_id = $2`,
      [PEOPLE.own, ownSettlement],
    );
    const read = async (role: Role) =>
      (
        await app.inject({
          url: `/api/v1/settlements/${ownSettlement}`,
          headers: await bearer(ctx.db, ids[role]),
        })
      ).json();
    expect((await read('designated_institution')).backstopProgramme).toBe('***');
    expect((await read('auditor')).backstopProgramme).toBe('***');
    expect((await read('bureau_staff')).backstopProgramme).toBe('mental_disorder_backstop');
  });

  it('a township registering someone of another township learns only that it cannot', async () => {
    const headers = await bearer(ctx.db, ids.township_office);
    const register = (certno: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/persons',
        headers,
        payload: { certno, name: '孙新', regionCode: '370899001001', reason: '新增' },
      });
    const elsewhere = await register(PEOPLE.plain);
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().code).toBe('person.not_registrable');
    expect(elsewhere.body).not.toContain('张伟');
    // The bureau sees the request to resolve.
    const staff = await bearer(ctx.db, ids.bureau_staff);
    const list = await app.inject({ url: '/api/v1/registration-conflicts', headers: staff });
    const open = list.json().conflicts;
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ certno: PEOPLE.plain, registeredRegionCode: '370899002001' });
    const done = await app.inject({
      method: 'POST',
      url: `/api/v1/registration-conflicts/${open[0].conflictId}/resolve`,
      headers: staff,
      payload: { reason: '已核实，本人仍居住在二乡' },
    });
    expect(done.statusCode).toBe(200);
    expect(
      (await app.inject({ url: '/api/v1/registration-conflicts', headers: staff })).json()
        .conflicts,
    ).toHaveLength(0);
    // Inside its own township a duplicate is still named as one.
    expect((await register(PEOPLE.own)).json().code).toBe('person.exists');
  });

  it('twenty concurrent registrations of one new number: one 201, the rest 409', async () => {
    const headers = await bearer(ctx.db, ids.bureau_staff);
    const certno = makeId('370899', '1999-09-09', 21);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/persons',
          headers,
          payload: { certno, name: '周同', regionCode: '370899001001', reason: '新增' },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
  });
  it.each(ROLES)(
    "%s: another county's replay, and a person outside the scope in a replay, answer as nonexistent ones",
    async (role) => {
      // Replays name a county and, for an explanation, a person (docs/replay.md §6).
      const replay = new ReplayService(ctx.db, await loadPackCatalog());
      const mine = await replay.start(
        SYSTEM_ACTOR,
        { pack: 'demo-2022', year: 2022 },
        { wait: true },
      );
      expect(mine.status).toBe('done');
      const theirs = await ctx.db.query<{ replay_id: number }>(
        `INSERT INTO replay_run (region_code, year, pack, pack_hash, filters, cutoff, status, created_by)
         VALUES ('370898', 2022, 'demo-2022', $1, '{}', 0, 'done', 'scope-test') RETURNING replay_id`,
        ['0'.repeat(64)],
      );
      const other = theirs.rows[0]!.replay_id;
      const headers = await bearer(ctx.db, ids[role]);
      const ask = async (url: string) => {
        const r = await app.inject({ url, headers });
        return { status: r.statusCode, code: r.json().code, field: r.json().field };
      };
      const granted = new Set<string>(ROLE_PERMISSIONS[role]);
      if (!granted.has('replay:run:read')) {
        expect((await ask(`/api/v1/replays/${mine.id}`)).status).toBe(403);
        return;
      }
      expect((await ask(`/api/v1/replays/${mine.id}`)).status).toBe(200);
      expect(await ask(`/api/v1/replays/${other}`)).toEqual(await ask('/api/v1/replays/999999'));
      expect((await ask(`/api/v1/replays/${other}`)).status).toBe(404);
      const explain = (certno: string) =>
        ask(`/api/v1/replays/${mine.id}/explain?certno=${certno}`);
      const { inside, outside } = TARGETS[role];
      expect((await explain(inside)).status).toBe(200);
      expect(await explain(outside)).toEqual(await explain(NOBODY));
      expect((await explain(outside)).status).toBe(404);
      await ctx.db.query('DELETE FROM replay_run');
    },
  );
});
