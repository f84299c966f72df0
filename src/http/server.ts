/**
 * The HTTP toolbox's server: Fastify with zod schemas, one error handler, request ids,
 * personal-data-free logs, security headers, the edge checks on every request, and the OpenAPI
 * document (/docs/json) with its browsable UI (/docs). It knows no domain: the composition root
 * (src/app/) installs authentication and registers every route on the server this returns.
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
import { errorHandler, frameworkErrorHandler, notFoundHandler } from './errors.ts';
import { loggerOptions } from './logging.ts';
import { installHardening } from './hardening.ts';

export interface ServerOptions {
  /** pino level; 'silent' in tests. */
  logLevel?: string;
  /**
   * The reverse proxies whose X-Forwarded-Proto/-For are believed (addresses or CIDRs, comma
   * separated): then a request that reached the proxy over HTTPS gets a `Secure` session
   * cookie. Unset, forwarded headers are ignored.
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

export async function createServer(opts: ServerOptions): Promise<FastifyInstance> {
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
  await installHardening(app);
  return app;
}

/**
 * The OpenAPI document and its UI, from every route registered after this. `markPublic` is
 * applied to the documentation's own routes, so the access rule the caller installed lets them
 * through.
 */
export async function installApiDocs(
  app: FastifyInstance,
  markPublic: (config: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
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
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = markPublic({ ...route.config }) as typeof route.config;
    });
    await docs.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  });
}
