/** Reading the registry: search, one person (now or as of a day), flags, enrolments, history. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { certnoFor } from '../../kernel/access/masking.ts';
import { auditSensitiveRead } from '../../auth/index.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import type { Db } from '../../db/db.ts';
import { actorOf } from '../../http/actor.ts';
import { normalizeId } from '../../kernel/idcard.ts';
import { endOfDay, localDate } from '../../kernel/clock.ts';
import type { PersonRecord } from '../model.ts';
import { listVersions, loadRecordAsOf } from '../repo/as-of.ts';
import { employeeLedger } from '../repo/ledger.ts';
import { loadRecord } from '../repo/read.ts';
import { searchPersons } from '../repo/search.ts';
import { personNotFound } from '../service/with-person.ts';
import { asOfQuery, certnoParams, ledgerQuery, searchQuery } from './requests.ts';
import {
  enrolmentView,
  flagsFor,
  flagView,
  recordView,
  searchView,
  showsSensitive,
  toEnrolmentView,
  toRecordView,
  toSearchView,
  versionsView,
} from './views.ts';

const tags = ['registry'];

export const readRoutes =
  (db: Db, now: () => Date): FastifyPluginAsyncZod =>
  async (app) => {
    /** The person now, or as the registry stood at the end of `asOf`; 404 outside the scope. */
    async function record(actor: Actor, certnoText: string, asOf: string | undefined) {
      const certno = normalizeId(certnoText, 'certno');
      const rec: PersonRecord | null = asOf
        ? await loadRecordAsOf(db, actor.scope, certno, endOfDay(asOf))
        : await loadRecord(db, actor.scope, certno);
      if (!rec) throw personNotFound(certno);
      if (showsSensitive(actor, rec.flags)) {
        await auditSensitiveRead(db, actor, {
          entity: 'person',
          entityId: certno,
          certno,
          fields: ['flags'],
        });
      }
      return rec;
    }

    app.get(
      '/api/v1/persons',
      {
        config: { permission: 'registry:person:read' },
        schema: {
          tags,
          summary:
            '查询参保人：身份证号、姓名（汉字、拼音首字母、相似姓名）、行政区划 / search people',
          querystring: searchQuery,
          response: { 200: searchView },
        },
      },
      async (request) => {
        const { page, pageSize, ...criteria } = request.query;
        const actor = actorOf(request);
        const found = await searchPersons(
          db,
          actor.scope,
          criteria,
          { page, pageSize },
          localDate(now()).slice(0, 7),
        );
        return toSearchView(actor, found);
      },
    );

    app.get(
      '/api/v1/persons/:certno',
      {
        config: { permission: 'registry:person:read' },
        schema: {
          tags,
          summary: '参保人详情（可按日期回溯）/ one person, now or as of a day, flags included',
          params: certnoParams,
          querystring: asOfQuery,
          response: { 200: recordView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const rec = await record(actor, request.params.certno, request.query.asOf);
        return toRecordView(actor, rec, request.query.asOf ?? null);
      },
    );

    app.get(
      '/api/v1/persons/:certno/flags',
      {
        config: { permission: 'registry:flag:read' },
        schema: {
          tags,
          summary: '身份标识（可按日期回溯）/ identity flags, now or as of a day',
          params: certnoParams,
          querystring: asOfQuery,
          response: { 200: z.array(flagView) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const rec = await record(actor, request.params.certno, request.query.asOf);
        return flagsFor(actor, rec.flags);
      },
    );

    app.get(
      '/api/v1/persons/:certno/enrolments',
      {
        config: { permission: 'registry:person:read' },
        schema: {
          tags,
          summary: '参保登记（可按日期回溯）/ enrolments, now or as of a day',
          params: certnoParams,
          querystring: asOfQuery,
          response: { 200: z.array(enrolmentView) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const rec = await record(actor, request.params.certno, request.query.asOf);
        return rec.enrolments.map((e) => toEnrolmentView(actor, e));
      },
    );

    app.get(
      '/api/v1/persons/:certno/history',
      {
        config: { permission: 'registry:record:read' },
        schema: {
          tags,
          summary: '变更历史：每个版本的经办人、时间和原因 / every version: who, when, why',
          params: certnoParams,
          response: { 200: versionsView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const certno = normalizeId(request.params.certno, 'certno');
        if (!(await loadRecord(db, actor.scope, certno))) throw personNotFound(certno);
        return listVersions(db, certno);
      },
    );

    app.get(
      '/api/v1/registry/employee-ledger',
      {
        config: { permission: 'registry:record:read' },
        schema: {
          tags,
          summary: '参加职工医保的困难人员台账 / key-category people insured as employees',
          querystring: ledgerQuery,
          response: {
            200: z.array(
              z.object({
                certno: z.string(),
                name: z.string(),
                regionCode: z.string(),
                categories: z.array(z.string()),
                employeeBenefitFrom: z.string(),
                employeeBenefitTo: z.string().nullable(),
                residentEnrolled: z.boolean(),
              }),
            ),
          },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const rows = await employeeLedger(db, actor.scope, request.query.year);
        return rows.map((r) => ({ ...r, certno: certnoFor(actor, r.certno) }));
      },
    );
  };
