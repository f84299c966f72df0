/**
 * Policy pack routes (read only):
 *   GET /api/v1/policies                 the packs (fixtures with ?fixtures=true)
 *   GET /api/v1/policies/{pack}?date=&categories=&remote=&diagnosis=
 *       the parameters that apply on `date` to holders of `categories` (comma-separated), for
 *       every visit type and hospital level, each with its provenance, plus the pack-wide ones.
 * Packs are read from disk on each request: a published edit is served at once, without a restart,
 * and a pack is a few small files.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalid } from '../kernel/errors.ts';
import { normaliseDate } from '../kernel/period.ts';
import { CATEGORIES, type Category, type Remote } from './types.ts';
import { listPacks, loadPack, summarize, type LoadOptions } from './loader.ts';
import { resolveGrid } from './grid.ts';

const tags = ['policy'];

const listQuery = z.strictObject({
  fixtures: z.enum(['true', 'false']).optional(),
  /** Drafts too (docs/replay.md §1): they are never chosen for settlement. */
  drafts: z.enum(['true', 'false']).optional(),
});
const packParams = z.strictObject({ pack: z.string().min(1).max(64) });
const packQuery = z.strictObject({
  /** YYYY-MM-DD; required. */
  date: z.string().optional(),
  /** Comma-separated category codes, e.g. `subsistence,severe_mental`. */
  categories: z.string().optional(),
  remote: z.string().optional(),
  /** One ICD-10 code for every bill; by default an ordinary and a severe mental diagnosis. */
  diagnosis: z.string().max(16).optional(),
});

export interface PolicyRouteOptions {
  /** Where packs live; the repository's `policies/` by default. */
  root?: string;
}

export const policyRoutes: FastifyPluginAsyncZod<PolicyRouteOptions> = async (app, opts) => {
  const from: LoadOptions = opts.root ? { root: opts.root } : {};

  app.get(
    '/api/v1/policies',
    {
      config: { permission: 'policy:pack:read' },
      schema: { tags, summary: '政策包列表 / list the policy packs', querystring: listQuery },
    },
    async (request) => ({
      packs: await listPacks({
        ...from,
        includeFixtures: request.query.fixtures === 'true',
        includeDrafts: request.query.drafts === 'true',
      }),
    }),
  );

  app.get(
    '/api/v1/policies/:pack',
    {
      config: { permission: 'policy:pack:read' },
      schema: {
        tags,
        summary: '某日适用的政策参数及出处 / the parameters that apply on a date, with provenance',
        params: packParams,
        querystring: packQuery,
      },
    },
    async (request) => {
      const q = request.query;
      if (q.date === undefined) {
        throw invalid(
          'policy.missing_date',
          'date',
          '缺少日期 date（YYYY-MM-DD）',
          'date (YYYY-MM-DD) is required',
        );
      }
      const date = normaliseDate(q.date);
      if (date === null) {
        throw invalid(
          'date.invalid',
          'date',
          `date 日期无效（应为 YYYY-MM-DD）：${q.date}`,
          `date is not a valid date (YYYY-MM-DD): ${q.date}`,
        );
      }
      const categories = parseCategories(q.categories);
      const remote = parseRemote(q.remote);
      const pack = await loadPack(request.params.pack, from);
      const grid = resolveGrid(pack, {
        date,
        categories,
        remote,
        ...(q.diagnosis !== undefined ? { diagnosis: q.diagnosis } : {}),
      });
      return { pack: summarize(pack), ...grid };
    },
  );
};

function parseCategories(text: string | undefined): Category[] {
  if (!text) return [];
  return text.split(',').map((raw) => {
    const c = raw.trim();
    const found = CATEGORIES.find((k) => k === c);
    if (!found) {
      throw invalid(
        'policy.unknown_category',
        'categories',
        `未知的身份类别：${c}（可用：${CATEGORIES.join('、')}）`,
        `unknown category: ${c} (known: ${CATEGORIES.join(', ')})`,
      );
    }
    return found;
  });
}

function parseRemote(text: string | undefined): Remote {
  if (text === undefined || text === '' || text === 'local') return null;
  if (text === 'filed' || text === 'unfiled') return text;
  throw invalid(
    'policy.bad_remote',
    'remote',
    `remote 应为 filed 或 unfiled：${text}`,
    `remote must be filed or unfiled: ${text}`,
  );
}
