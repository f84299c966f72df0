/**
 * GET /api/v1/audit?entity=&person=&from=&to= for auditors (the log's entries and the
 * settlements, which are their own entries), and GET /api/v1/audit/verify, which walks the hash
 * chains like `triguard audit verify`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rowIdParam } from '../http/fields.ts';
import type { Db } from '../db/db.ts';
import { actorOf } from '../http/actor.ts';
import { normalizeId } from '../kernel/idcard.ts';
import { queryAudit } from './query.ts';
import type { AuditTrails } from './trails.ts';
import { verifyAudit } from './verify.ts';

const tags = ['audit'];

/** A date is a whole day in China time (UTC+8, no daylight saving); a timestamp is itself. */
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  // PostgreSQL refuses year 0 and the like: keep to years the log can hold.
  .refine((v) => Number(v.slice(0, 4)) >= 1900 && Number(v.slice(0, 4)) <= 2999, {
    message: 'a year between 1900 and 2999',
  });
const CHINA = '+08:00';
const startOf = (v: string) => (v.length === 10 ? `${v}T00:00:00${CHINA}` : v);
function endOf(v: string): string {
  if (v.length !== 10) return v;
  const next = new Date(`${v}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return `${next.toISOString().slice(0, 10)}T00:00:00${CHINA}`;
}

const entryView = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.object({
    id: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    origin: z.string().nullable(),
  }),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  certno: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  hash: z.string(),
});

export const auditRoutes =
  (db: Db, trails: AuditTrails): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/audit',
      {
        config: { permission: 'audit:entry:read' },
        schema: {
          tags,
          summary: '审计日志查询 / search the audit log',
          querystring: z.strictObject({
            entity: z
              .string()
              .regex(/^[a-z_]{1,40}$/)
              .optional(),
            person: z.string().max(32).optional(),
            from: instant.optional(),
            to: instant.optional(),
            before: rowIdParam.optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: {
            200: z.object({ entries: z.array(entryView), next: z.number().nullable() }),
          },
        },
      },
      async (request) => {
        const qs = request.query;
        return queryAudit(db, trails, actorOf(request), {
          entity: qs.entity,
          certno: qs.person === undefined ? undefined : normalizeId(qs.person, 'person'),
          from: qs.from === undefined ? undefined : startOf(qs.from),
          to: qs.to === undefined ? undefined : endOf(qs.to),
          before: qs.before,
          limit: qs.limit,
        });
      },
    );

    app.get(
      '/api/v1/audit/verify',
      {
        config: { permission: 'audit:entry:read' },
        schema: {
          tags,
          summary: '校验审计日志哈希链 / verify the audit hash chain',
          response: {
            200: z.object({
              ok: z.boolean(),
              entries: z.number(),
              headSeq: z.number(),
              headHash: z.string(),
              rows: z.number().describe('person, flag and enrolment rows compared'),
              checkpoint: z
                .object({
                  id: z.number(),
                  at: z.string(),
                  digest: z.string(),
                  source: z.enum(['database', 'file']),
                })
                .nullable()
                .describe('the checkpoint every chain was compared with (docs/audit.md)'),
              problems: z.array(
                z.object({
                  trail: z
                    .enum(['log', 'settlement', 'registry'])
                    .describe(
                      "the audit log, a person's settlements of one year, or a registry row",
                    ),
                  seq: z.number().describe('the entry (for a settlement chain: the settlement id)'),
                  chain: z
                    .number()
                    .describe("the log's chain 0–64; -1 for a settlement chain or no one chain"),
                  chainSeq: z.number(),
                  kind: z.string(),
                  detail: z.string(),
                  certno: z.string().optional(),
                  year: z.number().optional().describe("a settlement chain's medical year"),
                  entity: z
                    .string()
                    .optional()
                    .describe('a registry row: person, person_flag or enrolment'),
                  entityId: z.string().optional(),
                }),
              ),
            }),
          },
        },
      },
      async () => verifyAudit(db, trails),
    );
  };
