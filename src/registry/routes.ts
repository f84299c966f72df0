/**
 * The registry's HTTP API (one Fastify plugin, listed in src/http/routes.ts). Every route declares
 * the permission it needs; the auth plugin authenticates and enforces it and sets the actor.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../db/db.ts';
import { fileRoutes } from './http/file-routes.ts';
import { readRoutes } from './http/read-routes.ts';
import { enrolmentRoutes } from './http/enrolment-routes.ts';
import { flagRoutes } from './http/flag-routes.ts';
import { personRoutes } from './http/person-routes.ts';
import { loadRefundCutoffs } from './service/refund-cutoff.ts';

export const registryRoutes =
  (db: Db, now: () => Date = () => new Date()): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(readRoutes(db, now));
    await app.register(personRoutes(db, now));
    await app.register(flagRoutes(db, now));
    await app.register(enrolmentRoutes(db, now, await loadRefundCutoffs()));
    await app.register(fileRoutes(db, now));
  };
