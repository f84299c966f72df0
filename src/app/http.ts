/**
 * The HTTP application: the toolbox's server (src/http/server.ts), authentication, the API
 * documentation, every route module (routes.ts) on the services built once (services.ts), and the
 * web app's files.
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/db.ts';
import { createServer, installApiDocs, type ServerOptions } from '../http/server.ts';
import { webRoutes } from '../http/web.ts';
import { installAuth } from '../auth/index.ts';
import { routeModules } from './routes.ts';
import { buildServices, type Services } from './services.ts';

export interface AppOptions extends ServerOptions {
  db: Db;
  /** Services already built (a process that also runs commands); built here otherwise. */
  services?: Services;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const services = opts.services ?? (await buildServices(opts.db));
  const app = await createServer(opts);
  // The auth hook comes before every route: it refuses each route registered after it that
  // declares neither a permission nor `public`.
  await installAuth(app, { db: opts.db });
  // The API documentation is public: only the routes of the docs plugin are marked so.
  await installApiDocs(app, (config) => ({ ...config, public: true }));
  for (const plugin of routeModules(services)) await app.register(plugin);
  await webRoutes(app);
  return app;
}
