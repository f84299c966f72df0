/**
 * The staff web app (web/, built by Vite into web/dist) served under `/` by the API's own server.
 * A path that names a built file gets the file (hashed assets cached for a year); any other page
 * load (Accept: text/html) gets index.html, so the app's own routes (/settle, /persons/…) survive
 * a reload, while other clients get the usual JSON 404. The API, the docs, health and the
 * national gateway keep their own 404s: the app never shadows them.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fromPackageRoot } from '../kernel/package-root.ts';

export const WEB_DIST = fromPackageRoot('web', 'dist');

/** Prefixes that belong to the server, never to the web app. */
const SERVER_PREFIXES = ['/api', '/docs', '/healthz', '/fsi'];

const ownedByServer = (path: string) =>
  SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * The page's own policy (helmet's default adds upgrade-insecure-requests, which would send a
 * plain-http intranet deployment's asset requests to https). Element Plus sets inline styles.
 */
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Triguard</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>Triguard 三重保障平台</h1>
<p>网页端尚未构建：请运行 <code>npm run build:web</code>（<code>npm start</code> 会自动构建）。</p>
<p>The web app is not built yet: run <code>npm run build:web</code> (<code>npm start</code> builds it).</p>
<p>API: <a href="/docs">/docs</a></p></body></html>`;

/** A file under `root` named by the URL path, or null (missing, a folder, or outside root). */
function builtFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = resolve(join(root, decoded));
  if (!full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    return statSync(full).isFile() ? full.slice(root.length).replace(/^[/\\]+/, '') : null;
  } catch {
    return null;
  }
}

export interface WebOptions {
  /** The built app; web/dist by default. */
  root?: string;
}

export async function webRoutes(app: FastifyInstance, opts: WebOptions = {}): Promise<void> {
  const root = resolve(opts.root ?? WEB_DIST);
  await app.register(async (web) => {
    // Everything here is public: the app's code and pages hold no data; the API checks access.
    web.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await web.register(fastifyStatic, { root, serve: false });

    const index = (reply: FastifyReply) => {
      reply.header('content-security-policy', APP_CSP).header('cache-control', 'no-cache');
      if (!existsSync(join(root, 'index.html'))) {
        return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
      }
      return reply.sendFile('index.html', { maxAge: 0, immutable: false });
    };

    web.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (ownedByServer(path)) return reply.callNotFound();
      const file = path === '/' ? null : builtFile(root, path);
      if (file === 'index.html' || file === null) {
        // Only a page load (a browser asking for HTML) gets the app; a script or a client asking
        // for a missing path gets the JSON 404, and a stale tab never parses HTML as a script.
        const accept = request.headers.accept ?? '';
        if (path !== '/' && !accept.includes('text/html')) return reply.callNotFound();
        return index(reply);
      }
      const hashed = file.startsWith('assets/');
      return reply.sendFile(file, {
        maxAge: hashed ? 365 * 24 * 3600 * 1000 : 0,
        immutable: hashed,
      });
    });
  });
}
