/**
 * Changing a person: register them, change their details, record a death, a missing person or
 * their return. Every body carries the reason that goes into the new version and the audit log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/db.ts';
import { actorOf } from '../../http/actor.ts';
import { registryContext } from '../service/context.ts';
import { parseHouseholdId, parseName, parsePhone } from '../fields.ts';
import { markFoundFor, markMissingFor, recordDeathFor } from '../service/life-events.ts';
import { z } from 'zod';
import { rowIdParam } from '../../http/fields.ts';
import {
  registerPerson,
  registrationConflicts,
  resolveRegistrationConflict,
  updatePersonFields,
} from '../service/people.ts';
import {
  certnoParams,
  createPersonBody,
  deathBody,
  missingBody,
  patchPersonBody,
  reasonBody,
  certnoOf,
} from './requests.ts';
import { personView, recordView, toPersonView, writtenView } from './views.ts';

const tags = ['registry'];

export const personRoutes =
  (db: Db, now: () => Date): FastifyPluginAsyncZod =>
  async (app) => {
    const ctx = registryContext(db, now);

    app.post(
      '/api/v1/persons',
      {
        config: { permission: 'registry:person:create' },
        schema: {
          tags,
          summary: '新增参保人 / register a person',
          body: createPersonBody,
          response: { 201: personView },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const actor = actorOf(request);
        const person = await registerPerson(
          ctx,
          actor,
          {
            certno: b.certno,
            name: parseName(b.name, 'name'),
            regionCode: b.regionCode,
            householdId: parseHouseholdId(b.householdId ?? null, 'householdId'),
            phone: b.phone ? parsePhone(b.phone, 'phone') : null,
          },
          b.reason,
        );
        return reply.status(201).send(toPersonView(actor, person));
      },
    );

    app.patch(
      '/api/v1/persons/:certno',
      {
        config: { permission: 'registry:person:update' },
        schema: {
          tags,
          summary: '修改参保人信息（姓名、村、家庭户、电话）/ change a person’s details',
          params: certnoParams,
          body: patchPersonBody,
          response: { 200: personView },
        },
      },
      async (request) => {
        const { reason, name, phone, householdId, ...rest } = request.body;
        const actor = actorOf(request);
        const person = await updatePersonFields(
          ctx,
          actor,
          certnoOf(request.params),
          {
            ...rest,
            ...(name !== undefined ? { name: parseName(name, 'name') } : {}),
            ...(householdId !== undefined
              ? { householdId: parseHouseholdId(householdId, 'householdId') }
              : {}),
            ...(phone !== undefined ? { phone: parsePhone(phone, 'phone') } : {}),
          },
          reason,
        );
        return toPersonView(actor, person);
      },
    );

    app.post(
      '/api/v1/persons/:certno/death',
      {
        config: { permission: 'registry:person:update' },
        schema: {
          tags,
          summary: '登记死亡：参保和标识中断于死亡月份 / record a death',
          params: certnoParams,
          body: deathBody,
          response: { 200: recordView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { deathDate, reason } = request.body;
        return writtenView(
          actor,
          await recordDeathFor(ctx, actor, certnoOf(request.params), deathDate, reason),
        );
      },
    );

    app.post(
      '/api/v1/persons/:certno/missing',
      {
        config: { permission: 'registry:person:update' },
        schema: {
          tags,
          summary: '登记失联：家属不放弃寻找的保留待遇 / record a missing person',
          params: certnoParams,
          body: missingBody,
          response: { 200: recordView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { since, familyKeepsLooking, reason } = request.body;
        return writtenView(
          actor,
          await markMissingFor(
            ctx,
            actor,
            certnoOf(request.params),
            since,
            familyKeepsLooking,
            reason,
          ),
        );
      },
    );

    app.post(
      '/api/v1/persons/:certno/found',
      {
        config: { permission: 'registry:person:update' },
        schema: {
          tags,
          summary: '失联人员返回 / a missing person is back',
          params: certnoParams,
          body: reasonBody,
          response: { 200: recordView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return writtenView(
          actor,
          await markFoundFor(ctx, actor, certnoOf(request.params), request.body.reason),
        );
      },
    );

    app.get(
      '/api/v1/registration-conflicts',
      {
        config: { permission: 'registry:conflict:resolve' },
        schema: {
          tags,
          summary:
            '跨辖区登记冲突（待医保局处理）/ registrations refused outside a scope, for the bureau',
          querystring: z.object({ open: z.enum(['true', 'false']).default('true') }).strict(),
          response: { 200: z.object({ conflicts: z.array(conflictView) }) },
        },
      },
      async (request) => ({
        conflicts: await registrationConflicts(
          ctx,
          actorOf(request),
          request.query.open === 'true',
        ),
      }),
    );

    app.post(
      '/api/v1/registration-conflicts/:id/resolve',
      {
        config: { permission: 'registry:conflict:resolve' },
        schema: {
          tags,
          summary: '处理登记冲突 / resolve a registration conflict',
          params: z.object({ id: rowIdParam }).strict(),
          body: reasonBody,
          response: { 200: conflictView },
        },
      },
      async (request) =>
        resolveRegistrationConflict(ctx, actorOf(request), request.params.id, request.body.reason),
    );
  };

const conflictView = z.object({
  conflictId: z.number(),
  certno: z.string(),
  name: z.string(),
  regionCode: z.string(),
  registeredRegionCode: z.string().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  reason: z.string(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
});
