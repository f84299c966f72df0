/**
 * Security headers (helmet) and rate limits. Limits are opt-in per route (`config.rateLimit`):
 * login is limited per address so passwords cannot be guessed quickly, and the national
 * gateway per client. Staff screens are not limited: they sit behind sign-in already.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import { isUtf8 } from 'node:buffer';
import { sendError } from './errors.ts';

function tooMany(_request: FastifyRequest, context: { after: string; max: number }) {
  // The error handler turns a 4xx error into {code, field, message}.
  return Object.assign(
    new Error(`too many requests (at most ${context.max}); retry in ${context.after}`),
    { statusCode: 429, code: 'request.rate_limited' },
  );
}

/** Login: 10 attempts a minute per address (the lockout guards each account on top). */
export const LOGIN_RATE_LIMIT: RateLimitOptions = { max: 10, timeWindow: '1 minute' };

/**
 * For the national gateway's routes (`config: { permission, rateLimit: GATEWAY_RATE_LIMIT }`):
 * 600 calls a minute per signed-in client, so one hospital system cannot starve the others.
 */
export const GATEWAY_RATE_LIMIT: RateLimitOptions = {
  max: 600,
  timeWindow: '1 minute',
  keyGenerator: (request) => request.actor?.id ?? request.ip,
};

/**
 * Text PostgreSQL cannot store as it was sent: U+0000, or a lone UTF-16 surrogate (a JSON `\ud800`
 * escape), which the driver would replace with U+FFFD — changing what the caller said and what an
 * audit seal covers.
 */
const badText = (s: string): boolean => s.includes('\u0000') || !s.isWellFormed();

/**
 * The path of the first key or string in `v` holding bad text: '' for `v` itself, null when none
 * does. The path is built only on the way back from a hit, so the walk allocates nothing for the
 * requests that hold none — nearly all, and every request with a body passes here.
 */
export function badTextAt(v: unknown, depth = 0): string | null {
  if (typeof v === 'string') return badText(v) ? '' : null;
  if (depth > 64 || v === null || typeof v !== 'object') return null;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    if (badText(k)) return k.replace(/[^\x20-\x7e\u4e00-\u9fff]/g, '?');
    const found = badTextAt((v as Record<string, unknown>)[k], depth + 1);
    if (found !== null) return found ? `${k}.${found}` : k;
  }
  return null;
}

/**
 * The headers helmet's defaults set, read once by running it on a response that goes nowhere.
 * They depend on nothing in the request, so running its thirteen middlewares on every request
 * (@fastify/helmet also rebuilds them each time) only spent a settlement's CPU to set the same
 * strings again.
 */
export function helmetHeaders(): ReadonlyArray<readonly [string, string]> {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  let failed: unknown;
  helmet()(res.req, res, (e?: unknown) => {
    failed = e;
  });
  if (failed) throw failed;
  return Object.entries(res.getHeaders()).map(([k, v]) => [k, String(v)] as const);
}

export async function installHardening(app: FastifyInstance): Promise<void> {
  const headers = helmetHeaders();
  app.addHook('onRequest', (_request, reply, next) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    next();
  });
  // JSON is read from bytes that must be UTF-8: a decoder would silently turn broken bytes into
  // U+FFFD, and the product would store what the caller never sent.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    const bytes = raw as Buffer;
    if (!isUtf8(bytes)) {
      done(
        Object.assign(new Error('the body is not UTF-8'), {
          statusCode: 400,
          code: 'request.invalid_utf8',
        }),
        undefined,
      );
      return;
    }
    json(request, bytes.toString('utf8'), done);
  });
  // Bad text would reach the database and fail there, or be stored altered; refuse it as bad
  // input naming the field. A callback hook, not an async one: the usual request passes on.
  app.addHook('preValidation', (request, reply, done) => {
    const inParams = badTextAt(request.params);
    const inQuery = inParams === null ? badTextAt(request.query) : null;
    const inBody = inParams === null && inQuery === null ? badTextAt(request.body) : null;
    const found = inParams ?? inQuery ?? inBody;
    if (found === null) {
      done();
      return;
    }
    const at = found || (inParams !== null ? 'params' : inQuery !== null ? 'query' : 'body');
    void sendError(reply, 400, {
      code: 'request.invalid_text',
      field: at,
      message: {
        zh: `${at} 含有无法保存的字符（U+0000 或不成对的代理项）`,
        en: `${at} holds characters that cannot be stored (U+0000 or a lone surrogate)`,
      },
    });
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (request, context) => tooMany(request, context),
  });
}
