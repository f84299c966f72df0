/**
 * Reports for the staff web app (one plugin, listed in src/app/routes.ts):
 *   GET /api/v1/reports/dashboard              the home page's numbers, in the caller's scope
 *   GET /api/v1/reports/flagged-people         people holding a category this month (drill-down)
 *   GET /api/v1/persons/{certno}/settlements   a person's settlements (the person page)
 *   GET /api/v1/regions/{code}                 a region and its children (header, search form)
 * Amounts are yuan at this edge; ID numbers and psychiatric data masked per reader.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoMonth, pageParam } from '../http/fields.ts';
import { certnoFor, maskCategories, maskDiagnosis } from '../kernel/access/masking.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { Db } from '../db/db.ts';
import { actorOf } from '../http/actor.ts';
import { normalizeId } from '../kernel/idcard.ts';
import { notFound } from '../kernel/errors.ts';
import { fenToYuanNumber } from '../kernel/money.ts';
import { CATEGORIES, TIERS } from '../policy/index.ts';
import { localDate } from '../kernel/clock.ts';
import { personNotFound } from '../registry/index.ts';
import { dashboard } from './dashboard.ts';
import { funnelView, screeningFunnel } from '../chronic/index.ts';
import { flaggedPeople, personSettlements, regionWithChildren } from './lists.ts';

const tags = ['reports'];
const yuan = z.number().describe('yuan');

const dashboardView = z.object({
  month: z.string(),
  scope: z.object({ regionCode: z.string().nullable(), regionName: z.string().nullable() }),
  people: z.number().int(),
  insured: z.number().int(),
  insuredYear: z.number().int().nullable(),
  flagged: z.array(z.object({ category: z.enum(CATEGORIES), people: z.number().int() })),
  settlements: z.object({
    settled: z.number().int(),
    cancelled: z.number().int(),
    medicalFees: yuan,
    fundPaid: yuan,
    byTier: z.array(z.object({ tier: z.enum(TIERS), amount: yuan })),
    daily: z.array(z.object({ day: z.string(), settled: z.number().int(), fundPaid: yuan })),
  }),
  warningsOpen: z
    .number()
    .int()
    .nullable()
    .describe('null until the monitoring module (warnings) is installed'),
  chronicFunnel: funnelView
    .nullable()
    .describe('摸底排查漏斗（最近一次）/ the latest screening’s funnel; null before any screening'),
});

const regionView = z.object({
  code: z.string(),
  name: z.string(),
  level: z.string(),
  parentCode: z.string().nullable(),
});

const scopeRegion = (actor: Actor): string | null =>
  actor.scope.kind === 'system' ? null : actor.scope.regionCode;

const thisMonth = (now: () => Date) => localDate(now()).slice(0, 7);

export const reportRoutes =
  (db: Db, now: () => Date = () => new Date()): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/reports/dashboard',
      {
        config: { permission: 'report:dashboard:read' },
        schema: {
          tags,
          summary: '首页统计：参保、重点人员、本月结算及各层支付、预警 / the home dashboard',
          querystring: z
            .object({
              month: isoMonth.optional(),
            })
            .strict(),
          response: { 200: dashboardView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const d = await dashboard(db, actor.scope, request.query.month ?? thisMonth(now));
        const code = scopeRegion(actor);
        const region = code ? (await regionWithChildren(db, code)).region : null;
        const s = d.settlements;
        return {
          ...d,
          chronicFunnel: await screeningFunnel(db, actor, localDate(now())),
          scope: { regionCode: code, regionName: region?.name ?? null },
          // Sensitive categories are counted only for readers who may see them.
          flagged: d.flagged.filter((f) => maskCategories(actor, [f.category]).length > 0),
          settlements: {
            ...s,
            medicalFees: fenToYuanNumber(s.medicalFees),
            fundPaid: fenToYuanNumber(s.fundPaid),
            byTier: s.byTier.map((t) => ({ ...t, amount: fenToYuanNumber(t.amount) })),
            daily: s.daily.map((x) => ({ ...x, fundPaid: fenToYuanNumber(x.fundPaid) })),
          },
        };
      },
    );

    app.get(
      '/api/v1/reports/flagged-people',
      {
        config: { permission: 'report:dashboard:read' },
        schema: {
          tags,
          summary: '本月持有某身份标识的人员 / people holding a category this month',
          querystring: z
            .object({
              category: z.enum(CATEGORIES),
              page: pageParam,
              pageSize: z.coerce.number().int().min(1).max(100).default(20),
            })
            .strict(),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { category, page, pageSize } = request.query;
        if (maskCategories(actor, [category]).length === 0) {
          return { items: [], total: 0, page, pageSize };
        }
        const r = await flaggedPeople(db, actor.scope, category, thisMonth(now), {
          page,
          pageSize,
        });
        return {
          items: r.items.map((p) => ({
            ...p,
            certno: certnoFor(actor, p.certno),
            categories: maskCategories(actor, p.categories),
          })),
          total: r.total,
          page,
          pageSize,
        };
      },
    );

    app.get(
      '/api/v1/persons/:certno/settlements',
      {
        config: { permission: 'settlement:bill:read' },
        schema: {
          tags,
          summary: '参保人的结算记录（最近 100 笔）/ a person’s settlements, newest first',
          params: z.object({ certno: z.string().max(20) }).strict(),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const certno = normalizeId(request.params.certno, 'certno');
        const rows = await personSettlements(db, actor.scope, certno, 100);
        if (!rows) {
          throw personNotFound(certno);
        }
        return rows.map((r) => ({
          ...r,
          diagnosis: maskDiagnosis(actor, r.diagnosis),
          medicalFees: fenToYuanNumber(r.medicalFees),
          fundPaid: fenToYuanNumber(r.fundPaid),
          cashPaid: fenToYuanNumber(r.cashPaid),
        }));
      },
    );

    app.get(
      '/api/v1/regions/:code',
      {
        config: { permission: 'auth:session:read' },
        schema: {
          tags,
          summary: '行政区划及其下级 / a region and the regions below it',
          params: z.object({ code: z.string().regex(/^\d{6}(\d{3}){0,2}$/) }).strict(),
          response: { 200: regionView.extend({ children: z.array(regionView) }) },
        },
      },
      async (request) => {
        const { region, children } = await regionWithChildren(db, request.params.code);
        if (!region) {
          throw notFound('region.not_found', 'code', '没有这个行政区划', 'no such region');
        }
        return { ...region, children };
      },
    );
  };
