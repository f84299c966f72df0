/**
 * Account administration for bureau administrators. First and reset passwords are generated
 * (never chosen by the administrator) and shown once; the account must replace them.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/db.ts';
import { actorOf } from '../http/actor.ts';
import { accountScopeSchema, accountViewSchema } from './accounts.ts';
import { ROLES } from '../kernel/access/roles.ts';
import {
  createAccount,
  disableAccount,
  issueToken,
  listAccounts,
  resetPassword,
  usernameSchema,
} from './users.ts';

const tags = ['auth'];
const usernameParams = z.strictObject({ username: usernameSchema });
const reason = z.string().trim().min(1).max(500);

export const userRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/users',
      {
        config: { permission: 'auth:user:read' },
        schema: {
          tags,
          summary: '账号列表 / accounts',
          response: { 200: z.object({ users: z.array(accountViewSchema) }) },
        },
      },
      async (request) => ({ users: await listAccounts(db, actorOf(request)) }),
    );

    app.post(
      '/api/v1/users',
      {
        config: { permission: 'auth:user:create' },
        bodyLimit: 8192,
        schema: {
          tags,
          summary: '创建账号 / create an account',
          body: z.strictObject({
            username: usernameSchema,
            displayName: z.string().trim().min(1).max(64),
            roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
            scope: accountScopeSchema,
            /** A machine client: no password; issue it a bearer token. */
            machine: z.boolean().default(false),
          }),
          response: {
            201: z.object({ account: accountViewSchema, temporaryPassword: z.string().nullable() }),
          },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const created = await createAccount(db, actorOf(request), {
          username: b.username,
          displayName: b.displayName,
          roles: [...new Set(b.roles)],
          scope: b.scope,
          machine: b.machine,
        });
        return reply
          .status(201)
          .send({ account: created.account, temporaryPassword: created.password });
      },
    );

    app.post(
      '/api/v1/users/:username/disable',
      {
        config: { permission: 'auth:user:update' },
        bodyLimit: 4096,
        schema: {
          tags,
          summary: '停用账号（须填原因）/ disable an account, with a reason',
          params: usernameParams,
          body: z.strictObject({ reason }),
          response: { 200: z.object({ account: accountViewSchema }) },
        },
      },
      async (request) => ({
        account: await disableAccount(
          db,
          actorOf(request),
          request.params.username,
          request.body.reason,
        ),
      }),
    );

    app.post(
      '/api/v1/users/:username/reset',
      {
        config: { permission: 'auth:user:reset' },
        bodyLimit: 4096,
        schema: {
          tags,
          summary: '重置密码 / reset the password',
          params: usernameParams,
          body: z.strictObject({ reason: reason.optional() }),
          response: {
            200: z.object({ account: accountViewSchema, temporaryPassword: z.string() }),
          },
        },
      },
      async (request) => {
        const r = await resetPassword(
          db,
          actorOf(request),
          request.params.username,
          request.body.reason ?? null,
        );
        return { account: r.account, temporaryPassword: r.password };
      },
    );

    app.post(
      '/api/v1/users/:username/tokens',
      {
        config: { permission: 'auth:user:update' },
        bodyLimit: 4096,
        schema: {
          tags,
          summary: '签发机器令牌 / issue a bearer token to a machine client',
          params: usernameParams,
          body: z.strictObject({
            label: z.string().trim().min(1).max(64),
            days: z.number().int().min(1).max(730).default(365),
          }),
          response: { 201: z.object({ token: z.string(), expiresAt: z.string() }) },
        },
      },
      async (request, reply) => {
        const t = await issueToken(
          db,
          actorOf(request),
          request.params.username,
          request.body.days,
          request.body.label,
        );
        return reply.status(201).send(t);
      },
    );
  };
