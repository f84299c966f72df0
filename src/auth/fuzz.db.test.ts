/**
 * Fuzzing every operation of the OpenAPI document (/docs/json), so routes added later are covered:
 * a valid request built from each operation's schemas (openapi-sampler), then that request with
 * each field missing, of the wrong type, hostile (huge, NaN, 1e308, negative, an impossible date,
 * U+0000, a lone UTF-16 surrogate, a spreadsheet formula), an extra field, random nested
 * mutations (fast-check), bad path parameters, broken JSON and odd content types — as an
 * administrator, so requests get past authorisation into validation and the handlers, and
 * unauthenticated. Every answer must be below 500, and every error in the documented shape
 * (`{code, field, message: {zh, en}}`, or on the national gateway its `infcode -1` envelope).
 */
import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { sample } from 'openapi-sampler';
import type { JSONSchema7 } from 'json-schema';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { bearer, createRoleAccounts, PEOPLE, seedPeople } from './testing/accounts.ts';

/** Random nested mutations per operation, on top of the field-by-field cases. */
const RANDOM_RUNS = 8;

interface Operation {
  method: string;
  /** The OpenAPI path, `{name}` for parameters. */
  path: string;
  params: string[];
  query: Record<string, unknown>;
  body: unknown;
  hasBody: boolean;
}

/** Values that break a field: wrong types, sizes, numbers and text PostgreSQL cannot store. */
const HOSTILE: unknown[] = [
  null,
  true,
  [],
  {},
  '',
  'x'.repeat(100_000),
  'NaN',
  1e308,
  -1e308,
  -1,
  0,
  -0.001,
  0.001,
  2_147_483_648,
  2 ** 53 + 2,
  99_999_999_999_999,
  '99999999999999.99',
  '2022-02-30',
  '0000-00-00',
  '9999-99-99T99:99:99',
  '2022-2-3',
  'a\u0000b',
  'lone \ud800 surrogate',
  '\udc00',
  '\u202e伪造',
  '=HYPERLINK("http://x","y")',
  "'; DROP TABLE person; --",
  '370899196003040071',
  { nested: { deeper: ['\ud800'] } },
];

const BAD_PARAMS = [
  '0',
  '-1',
  '99999999999999999999',
  '2147483648',
  'a'.repeat(300),
  '%00',
  '%ED%A0%80',
  '..%2F..%2Fetc',
  '1e308',
  ' ',
  '370899196003040071',
];

function operations(doc: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path.startsWith('/docs')) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = (op.parameters ?? []) as {
        in: string;
        name: string;
        schema?: JSONSchema7;
        required?: boolean;
      }[];
      const query: Record<string, unknown> = {};
      for (const p of parameters) {
        if (p.in === 'query' && p.required) query[p.name] = sampleOf(p.schema ?? {}, doc);
      }
      const content = (op.requestBody as { content?: Record<string, { schema?: JSONSchema7 }> })
        ?.content;
      const schema = content?.['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        query,
        body: schema ? sampleOf(schema, doc) : undefined,
        hasBody: method !== 'get' && method !== 'delete',
      });
    }
  }
  return out;
}

function sampleOf(schema: JSONSchema7, doc: object): unknown {
  try {
    return sample(schema, { skipReadOnly: true, quiet: true }, doc);
  } catch {
    return {};
  }
}

/** A plausible value for each path parameter, so the valid request reaches a real record. */
const GOOD_PARAMS: Record<string, string> = {
  certno: PEOPLE.own,
  id: '1',
  passNo: '1',
  flagId: '1',
  cardId: '1',
  batchId: '1',
  alertId: '1',
  notificationId: '1',
  username: 'fuzz_target',
  code: '370899',
};

function urlOf(op: Operation, params: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name in params ? params[name]! : encodeURIComponent(GOOD_PARAMS[name] ?? 'x'),
  );
}

/** Every path to a value inside `v` (object keys and array indices), the root excluded. */
function pathsOf(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) {
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = [...at, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      pathsOf(x, p, out);
    }
  }
  return out;
}

function withValue(v: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<
    string | number,
    unknown
  >;
  const [head, ...rest] = path;
  if (rest.length === 0 && remove) delete copy[head!];
  else copy[head!] = withValue(copy[head!], rest, value, remove);
  return copy;
}

/** The documented error shape, or the gateway's envelope on its route. */
function shapeProblem(op: Operation, r: LightMyRequestResponse): string | null {
  if (r.statusCode >= 500) return `${r.statusCode} ${r.body.slice(0, 200)}`;
  if (r.statusCode < 400) return null;
  let body: unknown;
  try {
    body = r.json();
  } catch {
    return `${r.statusCode} not JSON: ${r.body.slice(0, 120)}`;
  }
  const b = body as Record<string, unknown>;
  if (op.path.startsWith('/fsi/')) {
    return b.infcode === -1 && typeof b.err_msg === 'string' ? null : `envelope ${r.body}`;
  }
  const m = b.message as Record<string, unknown> | undefined;
  const ok =
    typeof b.code === 'string' &&
    'field' in b &&
    (b.field === null || typeof b.field === 'string') &&
    typeof m?.zh === 'string' &&
    typeof m?.en === 'string';
  // A database refusal no schema caught is answered, but it is a check to add.
  if (ok && b.code === 'request.out_of_range') return `unchecked value: ${r.body.slice(0, 200)}`;
  return ok ? null : `shape ${r.body.slice(0, 200)}`;
}

describeDb('fuzzing every operation of the OpenAPI document', (ctx) => {
  let app: FastifyInstance;
  let admin: string;
  let ops: Operation[];

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    admin = (await createRoleAccounts(ctx.db)).bureau_admin;
    await seedPeople(ctx.db);
    ops = operations((await app.inject({ url: '/docs/json' })).json());
    return () => app.close();
  });

  it('answers every malformed request below 500, in the documented shape', async () => {
    expect(ops.length).toBeGreaterThan(50);
    const failures: string[] = [];
    let requests = 0;
    let fiveHundreds = 0;

    async function send(
      op: Operation,
      label: string,
      parts: {
        params?: Record<string, string>;
        query?: Record<string, unknown>;
        body?: unknown;
        raw?: string | Buffer;
        type?: string;
        signedIn?: boolean;
      },
    ) {
      const opts: InjectOptions = {
        method: op.method as InjectOptions['method'],
        url: urlOf(op, parts.params ?? {}),
        query: Object.fromEntries(
          Object.entries(parts.query ?? op.query).map(([k, v]) => [
            k,
            typeof v === 'string' ? v : JSON.stringify(v),
          ]),
        ),
        headers: parts.signedIn === false ? {} : { ...token },
      };
      if (op.hasBody) {
        opts.headers!['content-type'] = parts.type ?? 'application/json';
        opts.payload =
          parts.raw ?? JSON.stringify(parts.body === undefined ? (op.body ?? {}) : parts.body);
      }
      const r = await app.inject(opts);
      requests++;
      if (r.statusCode >= 500) fiveHundreds++;
      const problem = shapeProblem(op, r);
      if (problem) failures.push(`${op.method} ${op.path} [${label}] → ${problem}`);
    }

    let token: { authorization: string } = await bearer(ctx.db, admin);
    for (const op of ops) {
      // A fresh session per operation: signing out or changing the password ends the one it ran on.
      token = await bearer(ctx.db, admin);
      await send(op, 'valid', {});
      await send(op, 'unauthenticated', { signedIn: false });
      for (const name of op.params) {
        for (const bad of BAD_PARAMS) {
          await send(op, `param ${name}=${bad.slice(0, 20)}`, { params: { [name]: bad } });
        }
      }
      for (const key of Object.keys(op.query)) {
        await send(op, `query ${key} missing`, { query: { ...op.query, [key]: undefined } });
        for (const bad of ['', '-1', '1e308', '2022-02-30', 'a\u0000b', '99999999999999999999']) {
          await send(op, `query ${key}=${bad}`, { query: { ...op.query, [key]: bad } });
        }
      }
      if (!op.hasBody) continue;
      await send(op, 'extra field', {
        body:
          op.body && typeof op.body === 'object'
            ? { ...op.body, unexpected: 1 }
            : { unexpected: 1 },
      });
      await send(op, 'broken JSON', { raw: '{"a":' });
      await send(op, 'not UTF-8', { raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) });
      await send(op, 'text/plain', { raw: 'hello', type: 'text/plain' });
      await send(op, 'lone surrogate key', { raw: '{"\\ud800":1}' });
      // Each field: missing, then each hostile value.
      for (const path of pathsOf(op.body).filter((p) => p.length <= 2)) {
        const at = path.join('.');
        await send(op, `${at} missing`, { body: withValue(op.body, path, undefined, true) });
        for (const bad of HOSTILE) {
          await send(op, `${at}=${JSON.stringify(bad).slice(0, 24)}`, {
            body: withValue(op.body, path, bad),
          });
        }
      }
      // Random deeper mutations.
      const paths = pathsOf(op.body);
      if (paths.length === 0) continue;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...paths),
          fc.oneof(fc.constantFrom(...HOSTILE), fc.anything({ maxDepth: 2 })),
          async (path, bad) => {
            await send(op, `random ${path.join('.')}`, { body: withValue(op.body, path, bad) });
          },
        ),
        { numRuns: RANDOM_RUNS },
      );
    }
    // The closing note quotes these figures.
    console.log(
      `fuzz [${ctx.kind}]: ${requests} requests over ${ops.length} operations, ${fiveHundreds} answered 5xx`,
    );
    expect(failures).toEqual([]);
  }, 600_000);
});
