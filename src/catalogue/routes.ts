/**
 * Catalogue routes: search the insurance catalogue (医保目录) and list an institution's mapping
 * (目录对照). A designated institution sees only its own mapping.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoDate, offsetParam } from '../http/fields.ts';
import type { Db } from '../db/db.ts';
import { actorOf } from '../http/actor.ts';
import { fenToYuanNumber } from '../kernel/money.ts';
import { notFound } from '../kernel/errors.ts';
import { CHRGITM_LV_LABELS, type CatalogueItem } from './model.ts';
import { listMappings, searchItems } from './repository.ts';

const tags = ['catalogue'];
const page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: offsetParam,
};

const itemJson = (i: CatalogueItem) => ({
  med_list_codg: i.medListCodg,
  name: i.name,
  list_type: i.listType,
  chrgitm_lv: i.chrgitmLv,
  chrgitm_lv_name: CHRGITM_LV_LABELS[i.chrgitmLv],
  selfpay_prop: i.selfpayProp / 10_000,
  pric_uplmt_amt: i.pricUplmtAmt === null ? null : fenToYuanNumber(i.pricUplmtAmt),
  med_chrgitm_type: i.medChrgitmType,
  spec: i.spec,
  dosform: i.dosform,
  prcunt: i.prcunt,
  begndate: i.begndate,
  enddate: i.enddate,
  two_diseases: i.twoDiseases,
});

export const catalogueRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/catalogue/items',
      {
        config: { permission: 'catalogue:item:read' },
        schema: {
          tags,
          summary: '医保目录查询 / search the insurance catalogue',
          querystring: z
            .object({
              q: z.string().max(100).optional().describe('名称或编码包含'),
              code: z.string().max(50).optional().describe('医保目录编码'),
              date: isoDate.optional().describe('当日有效'),
              ...page,
            })
            .strict(),
        },
      },
      async (request) => {
        const { q, code, date, limit, offset } = request.query;
        const r = await searchItems(db, { text: q, code, date, limit, offset });
        return { total: r.total, items: r.items.map(itemJson) };
      },
    );

    app.get(
      '/api/v1/catalogue/mappings/:fixmedinsCode',
      {
        config: { permission: 'catalogue:item:read' },
        schema: {
          tags,
          summary: '目录对照 / an institution’s item codes mapped to the catalogue',
          params: z.object({ fixmedinsCode: z.string().regex(/^[A-Za-z0-9]{1,32}$/) }).strict(),
          querystring: z.object(page).strict(),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { fixmedinsCode } = request.params;
        if (actor.scope.kind === 'institution' && actor.scope.fixmedinsCode !== fixmedinsCode) {
          throw notFound(
            'catalogue.mapping_not_found',
            'fixmedinsCode',
            `没有机构 ${fixmedinsCode} 的目录对照`,
            `no mapping of ${fixmedinsCode}`,
          );
        }
        const r = await listMappings(db, fixmedinsCode, request.query.limit, request.query.offset);
        return {
          total: r.total,
          mappings: r.mappings.map((m) => ({
            fixmedins_code: m.fixmedinsCode,
            medins_list_codg: m.medinsListCodg,
            medins_list_name: m.medinsListName,
            med_list_codg: m.medListCodg,
            list_type: m.listType,
            begndate: m.begndate,
            enddate: m.enddate,
          })),
        };
      },
    );
  };
