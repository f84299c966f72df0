/**
 * The demo county's chronic data as `triguard demo` (and `npm start`) loads it: certificates and
 * filings consistent with the catalogue and the health centres, applications in every state, and
 * a screening whose funnel is alive.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { runDemoLoad } from '../../app/commands/demo.ts';
import type { CliIo } from '../../cli/command.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { loadPack } from '../../policy/index.ts';
import { catalogueKeys, diseaseOf } from '../core/screening.ts';
import { screeningFunnel } from '../screening-service.ts';
import { DEMO_DIAGNOSES, DEMO_HEALTH_CENTRES, healthCentreOf } from './load.ts';

const quiet: CliIo = {
  out: () => undefined,
  err: () => undefined,
  tty: false,
  env: {},
  cwd: process.cwd(),
};

describeDb('chronic demo', (ctx) => {
  beforeAll(async () => {
    await runDemoLoad(ctx.db, { people: 20_000, seed: 20220101, year: 2022 }, quiet);
  }, 900_000);

  it('registers a level-1 health centre in every township', async () => {
    const r = await ctx.db.query<{ fixmedins_code: string; hosp_lv: number }>(
      `SELECT fixmedins_code, hosp_lv FROM gateway_institution WHERE fixmedins_code = ANY($1)`,
      [DEMO_HEALTH_CENTRES.map((h) => h.fixmedinsCode)],
    );
    expect(r.rows).toHaveLength(12);
    expect(new Set(r.rows.map((x) => x.hosp_lv))).toEqual(new Set([1]));
  });

  it('certifies a plausible share of the flagged, for catalogue diseases, numbered MTB…', async () => {
    const pack = await loadPack('demo-2022');
    const codes = new Set(pack.diseases.map((d) => d.code));
    const certs = await ctx.db.query<{ certificate_no: string; flagged: boolean }>(
      `SELECT c.certificate_no, EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = c.certno
                AND f.category NOT IN ('severe_mental', 'mental_aid_card')) AS flagged
         FROM chronic_certificate c`,
    );
    expect(certs.rows.length).toBeGreaterThan(100);
    const numbers = certs.rows.map((c) => c.certificate_no);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers) expect(n).toMatch(/^MTB370899\d{6}$/);
    const flagged = await ctx.db.query<{ n: number }>(
      `SELECT count(DISTINCT certno)::int AS n FROM person_flag
        WHERE category NOT IN ('severe_mental', 'mental_aid_card')`,
    );
    const share = certs.rows.filter((c) => c.flagged).length / flagged.rows[0]!.n;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.3);
    const diseases = await ctx.db.query<{ disease: string }>(
      'SELECT DISTINCT disease FROM chronic_certificate_disease',
    );
    for (const d of diseases.rows) expect(codes).toContain(d.disease);
    // Every disease approved on review names a diagnosis of that disease.
    const catalogue = catalogueKeys(pack, '2022-12-31');
    const approved = await ctx.db.query<{ disease: string; diagnosis: string }>(
      `SELECT ad.disease, ad.diagnosis FROM chronic_certificate_disease d
         JOIN chronic_application_disease ad ON ad.certno = d.certno
          AND ad.application_id = d.application_id AND ad.disease = d.disease
        WHERE ad.decision = 'approved'`,
    );
    expect(approved.rows.length).toBeGreaterThan(0);
    for (const a of approved.rows) expect(diseaseOf(catalogue, a.diagnosis)).toBe(a.disease);
    for (const [d, dxs] of Object.entries(DEMO_DIAGNOSES)) {
      for (const dx of dxs) expect(diseaseOf(catalogue, dx)).toBe(d);
    }
  });

  it('files two-diseases patients at their township’s health centre', async () => {
    const r = await ctx.db.query<{
      disease: string;
      diagnosis: string;
      fixmedins_code: string;
      region_code: string;
    }>(
      `SELECT f.disease, f.diagnosis, f.fixmedins_code, p.region_code
         FROM two_diseases_filing f JOIN person p ON p.certno = f.certno`,
    );
    expect(r.rows.length).toBeGreaterThan(100);
    for (const f of r.rows) {
      expect(f.fixmedins_code).toBe(healthCentreOf(f.region_code));
      expect(f.diagnosis).toBe(f.disease === 'hypertension' ? 'I10' : 'E11.9');
    }
  });

  it('holds applications in every state, and a living funnel', async () => {
    const states = await ctx.db.query<{ status: string; due: boolean; n: number }>(
      `SELECT status, bool_and(documents_due IS NOT NULL) AS due, count(*)::int AS n
         FROM chronic_application GROUP BY status`,
    );
    const by = new Map(states.rows.map((s) => [s.status, s]));
    for (const s of ['incomplete', 'under_review', 'decided'])
      expect(by.get(s)?.n).toBeGreaterThan(0);
    expect(by.get('incomplete')!.due).toBe(true);
    const decisions = await ctx.db.query<{ decision: string }>(
      `SELECT DISTINCT decision FROM chronic_application_disease`,
    );
    expect(decisions.rows.map((d) => d.decision).sort()).toEqual([
      'approved',
      'pending',
      'refused',
    ]);
    const f = (await screeningFunnel(ctx.db, SYSTEM_ACTOR, '2026-01-01'))!;
    expect(f.screened).toBeGreaterThan(0);
    expect(f.visited).toBeGreaterThan(0);
    expect(f.applied).toBeGreaterThan(0);
    expect(f.screened).toBeGreaterThanOrEqual(f.visited);
    expect(f.applied).toBeGreaterThanOrEqual(f.certified + f.refused);
    expect(Object.values(f.notApplying).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
