import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/db.ts';
import { migrationVersion } from '../db/migrate.ts';

export const healthRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/healthz',
      {
        config: { public: true },
        schema: {
          tags: ['system'],
          summary: 'Health: database kind and migration version',
          response: {
            200: z.object({
              status: z.literal('ok'),
              database: z.enum(['pglite', 'postgres']),
              migrationVersion: z.number().int(),
            }),
          },
        },
      },
      async () => ({
        status: 'ok' as const,
        database: db.kind,
        migrationVersion: await migrationVersion(db),
      }),
    );
  };
