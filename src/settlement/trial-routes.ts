/**
 * POST /api/v1/settlement/trial — the trial calculation over HTTP, same document and answer as
 * `triguard trial` (docs/settlement.md §6). The body schema only insists on an object: every field
 * rule is checked by `readTrialInput`, so a broken rule is a 422 naming the field, exactly as
 * the CLI reports it, rather than a generic schema failure.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { trialAnswerSchema } from './trial-answer.ts';
import { answerTrial, type PackSource } from './trial.ts';
import { policyPacks } from './trial-packs.ts';

const trialBody = z
  .object({
    pack: z.unknown().meta({ description: 'policy pack name, e.g. demo-2022' }),
    person: z.unknown().meta({
      description:
        'optional: {categories: [{code, from: YYYY-MM, to: YYYY-MM | null}], certificates?: [{disease (catalogue code, e.g. M002), from: YYYY-MM-DD, to: YYYY-MM-DD | null}], filings?: [{disease: hypertension | diabetes, from, to}]}; a list left out is not checked',
    }),
    bills: z.unknown().meta({
      description:
        '[{id, date, visitType, hospitalLevel, diagnosis, remote, lines: [{amount (yuan), class A|B|C, overLimit? (yuan), selfPayRatio? (0–1), days? (whole days the prescription covers)}]}]',
    }),
  })
  .strict()
  .meta({ description: '政策试算 trial document (docs/settlement.md §6)' });

export function trialRoutesWith(packs: PackSource): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/settlement/trial',
      {
        config: { permission: 'policy:trial:run' },
        schema: {
          tags: ['settlement'],
          summary: '政策试算 / policy trial calculation',
          body: trialBody,
          response: { 200: trialAnswerSchema },
        },
      },
      async (request) => answerTrial(request.body, packs),
    );
  };
}

/** The route on the packs of `policies/`; the lead registers it in the app. */
export const trialRoutes: FastifyPluginAsyncZod = trialRoutesWith(policyPacks);
