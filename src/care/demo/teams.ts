/**
 * The demo county's care teams (docs/care-teams.md): a team for each registered severe-mental
 * patient (at most 300), formed in January of the demo year, with a guardian replaced for some;
 * a year of visits at the rhythm the risk level sets, with realistic gaps; unstable episodes
 * reported, notified, acknowledged in part and referred to closure. Also the free inpatient
 * treatment agreement: the county rehabilitation hospital, its assistance programme, and a few
 * card holders' stays there settled with the hospital's waiver (docs/settlement.md §9).
 * Deterministic for a seed; idempotent (a person with a team is left as it is).
 */
import { SYSTEM_ACTOR, type Actor } from '../../kernel/access/actor.ts';
import type { CliIo } from '../../cli/command.ts';
import { progress } from '../../cli/progress.ts';
import type { Db } from '../../db/db.ts';
import { DEMO_PSYCHIATRIC_HOSPITAL, upsertInstitution } from '../../catalogue/index.ts';
import { addProgramme, programmesWhere } from '../../assistance/index.ts';
import { addDays } from '../../kernel/dates.ts';
import { isTriguardError } from '../../kernel/errors.ts';
import { SURNAMES, GIVEN } from '../../registry/index.ts';
import { loadPackCatalog, readSettleRequest, SettlementService } from '../../settlement/index.ts';
import type { MemberInput } from '../core/team-model.ts';
import { CareTeamService } from '../team-service.ts';

/** 示范县康复医院: the county rehabilitation hospital of the free inpatient agreement. */
export const REHAB_HOSPITAL = DEMO_PSYCHIATRIC_HOSPITAL.fixmedinsCode;
export const REHAB_PROGRAMME = 'rehab_free_inpatient';
const MAX_TEAMS = 300;

const ACTOR: Actor = { ...SYSTEM_ACTOR, id: 'system:demo', name: 'demo load' };

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface CareTeamsDemo {
  teams: number;
  visits: number;
  reports: number;
  waived: number;
}

export async function loadCareTeamsDemo(
  db: Db,
  opts: { seed: number; year: number },
  io: CliIo,
): Promise<CareTeamsDemo> {
  const rnd = random(opts.seed ^ 0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const name = () => pick(SURNAMES) + pick(GIVEN);
  const phone = () => `139${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`;
  const service = new CareTeamService(db);
  const y = opts.year;

  const patients = await db.query<{ certno: string; name: string; region_code: string }>(
    `SELECT p.certno, p.name, p.region_code FROM person p
      WHERE EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = p.certno AND f.category = 'severe_mental'
                      AND f.to_month IS NULL)
        AND NOT EXISTS (SELECT 1 FROM care_team t WHERE t.certno = p.certno)
        AND p.status = 'alive'
      ORDER BY p.region_code, p.certno LIMIT $1`,
    [MAX_TEAMS],
  );
  const out: CareTeamsDemo = { teams: 0, visits: 0, reports: 0, waived: 0 };
  const bar = progress(io, 'care teams', patients.rows.length);
  // The village heads and officers are shared by the patients of a village and a township.
  const heads = new Map<string, MemberInput>();
  const officers = new Map<string, MemberInput>();
  for (const p of patients.rows) {
    const village = p.region_code;
    const township = village.slice(0, 9);
    if (!heads.has(village))
      heads.set(village, { role: 'village_head', name: name(), contact: phone() });
    if (!officers.has(township))
      officers.set(township, { role: 'police_officer', name: name(), contact: phone() });
    const members: MemberInput[] = [
      heads.get(village)!,
      { role: 'guardian', name: p.name.slice(0, 1) + pick(GIVEN), contact: phone() },
      { role: 'specialist', name: name(), contact: phone() },
      { role: 'medical_staff', name: name(), contact: phone() },
      officers.get(township)!,
      { role: 'disabled_federation', name: name(), contact: phone() },
      { role: 'civil_affairs', name: name(), contact: phone() },
    ];
    await service.setTeam(ACTOR, p.certno, { members, on: `${y}-01-15`, reason: '建组' });
    out.teams++;
    if (rnd() < 0.1) {
      const changed = members.map((m) =>
        m.role === 'guardian' ? { ...m, name: name(), contact: phone() } : m,
      );
      await service.setTeam(ACTOR, p.certno, {
        members: changed,
        on: `${y}-06-01`,
        reason: '监护人变更',
      });
    }
    // A year of visits: the next one when due, sometimes late, some patients dropped a while.
    let day = addDays(`${y}-01-15`, Math.floor(rnd() * 20));
    const unstableAt = rnd() < 0.12 ? 3 + Math.floor(rnd() * 5) : -1;
    for (let n = 0; day <= `${y}-12-31`; n++) {
      const unstable = n === unstableAt;
      const risk = unstable
        ? 3 + Math.floor(rnd() * 2)
        : rnd() < 0.7
          ? 0
          : 1 + Math.floor(rnd() * 2);
      const v = await service.recordVisit(ACTOR, p.certno, {
        visitedOn: day,
        visitor: members[rnd() < 0.5 ? 0 : 3]!.name,
        condition: unstable ? 'unstable' : 'stable',
        medicationAsPrescribed: unstable ? false : rnd() < 0.9,
        riskLevel: risk,
        note: unstable ? '情绪激动，拒绝服药' : null,
      });
      out.visits++;
      if (unstable) {
        const r = await service.report(ACTOR, p.certno, {
          reportedOn: day,
          visitId: v.visitId,
          treatment: '对症处置后转诊',
          referredTo: '示范县康复医院',
        });
        out.reports++;
        for (const nt of r.notifications)
          if (rnd() < 0.7) await service.acknowledge(ACTOR, r.reportId, nt.notificationId);
        const admitted = addDays(day, 1);
        if (rnd() < 0.8) {
          await service.outcome(ACTOR, r.reportId, {
            status: 'admitted',
            on: admitted,
            outcome: '住院治疗',
          });
          if (rnd() < 0.75)
            await service.outcome(ACTOR, r.reportId, {
              status: 'closed',
              on: addDays(day, 30),
              outcome: '病情稳定出院',
            });
        }
      }
      const gap = rnd() < 0.08 ? 60 + Math.floor(rnd() * 60) : Math.floor(rnd() * 10);
      day = addDays(v.nextDue, gap);
    }
    bar.tick(1);
  }
  bar.finish();
  out.waived = await rehabAgreement(db, y);
  io.err(
    `demo care teams: ${out.teams} teams, ${out.visits} visits, ${out.reports} unstable-patient reports, ${out.waived} stays waived at the rehabilitation hospital`,
  );
  return out;
}

/**
 * The free inpatient treatment agreement: the hospital, its programme for the year, and a stay
 * of each of the first card holders settled there (waived by the pack's rule).
 */
async function rehabAgreement(db: Db, year: number): Promise<number> {
  await upsertInstitution(db, DEMO_PSYCHIATRIC_HOSPITAL);
  const [existing] = await programmesWhere(db, {
    regionCode: '370899',
    code: REHAB_PROGRAMME,
    year,
  });
  if (!existing) {
    await addProgramme(db, ACTOR, {
      regionCode: '370899',
      code: REHAB_PROGRAMME,
      year,
      title: {
        zh: '困难家庭精神病人免费住院治疗',
        en: 'Free inpatient treatment for poor mental patients',
      },
      budget: 50_000_000,
      tiers: ['hospital_waiver'],
      eligibleCategories: ['severe_mental'],
      cardCategory: null,
      reason: '县康复医院协议',
    });
  }
  const holders = await db.query<{ certno: string }>(
    `SELECT f.certno FROM person_flag f JOIN enrolment e ON e.certno = f.certno AND e.medical_year = $1
      WHERE f.category = 'mental_aid_card' AND f.to_month IS NULL ORDER BY f.certno LIMIT 5`,
    [year],
  );
  const settlement = new SettlementService(db, await loadPackCatalog());
  let waived = 0;
  for (const [i, { certno }] of holders.rows.entries()) {
    const s = await settlement
      .settle(
        ACTOR,
        readSettleRequest({
          msgid: `care-demo-rehab-${certno}`,
          certno,
          fixmedinsCode: REHAB_HOSPITAL,
          bill: {
            date: `${year}-0${3 + i}-10`,
            visitType: 'inpatient',
            diagnosis: 'F20.0',
            remote: null,
            lines: [
              { amount: 8000 + i * 500, class: 'A' },
              { amount: 2000, class: 'B' },
              { amount: 600, class: 'C' },
            ],
          },
        }),
      )
      // A holder the demo cannot settle for (no benefits that day) is left out.
      .catch((e: unknown) => {
        if (isTriguardError(e)) return null;
        throw e;
      });
    if (s?.amounts.hosp_part_amt) waived++;
  }
  return waived;
}
