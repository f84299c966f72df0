/**
 * The Fastify application: zod schemas on every route, OpenAPI at /docs/json with a browsable UI
 * at /docs, one error handler, request ids and personal-data-free logs. Domain plugins are
 * registered here and nowhere else.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import { errorHandler, frameworkErrorHandler, notFoundHandler } from './errors.ts';
import { loggerOptions } from './logging.ts';
import { healthRoutes } from './health.ts';
import { domainRoutes } from './routes.ts';
import { installAuth } from '../auth/plugin.ts';
import { installHardening } from '../auth/hardening.ts';
import { authRoutes } from '../auth/routes.ts';
import { userRoutes } from '../auth/user-routes.ts';
import { auditRoutes } from '../auth/audit-routes.ts';
import { webRoutes } from './web.ts';

export interface AppOptions {
  db: Db;
  /** pino level; 'silent' in tests. */
  logLevel?: string;
  /**
   * The reverse proxies whose X-Forwarded-Proto/-For are believed (addresses or CIDRs, comma
   * separated): then a request that reached the proxy over HTTPS gets a `Secure`
   * session cookie. Unset, forwarded headers are ignored.
   */
  trustProxy?: string;
}

/** TRIGUARD_TRUST_PROXY as Fastify's option: the proxies' addresses; none trusts no header. */
export function trustProxyOption(value: string | undefined): string[] | false {
  const list = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length ? list : false;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(opts.logLevel ?? 'info'),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 5 * 1024 * 1024,
    frameworkErrors: frameworkErrorHandler,
    trustProxy: trustProxyOption(opts.trustProxy),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    // Answers about people must not be kept by a browser or a proxy on the way.
    if (request.url.startsWith('/api/') || request.url.startsWith('/fsi/')) {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });

  // Security headers, rate limits and the auth hook come first: the auth hook refuses every
  // route registered after it that declares neither a permission nor `public`.
  await installHardening(app);
  await installAuth(app, { db: opts.db });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Triguard 三重保障平台 API',
        description:
          '一窗受理、一站服务、一单结算 — one window, one stop, one bill through the three tiers of the medical safety net.',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
  });
  // The API documentation is public: only the routes of the docs plugin are marked so.
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  });

  await app.register(healthRoutes(opts.db));
  await app.register(authRoutes(opts.db));
  await app.register(userRoutes(opts.db));
  await app.register(auditRoutes(opts.db));
  for (const plugin of domainRoutes(opts.db)) await app.register(plugin);
  await webRoutes(app);
  return app;
}
