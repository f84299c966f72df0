/**
 * Turns a search (ID number, name, region) into SQL over `person p`, always with the caller's
 * data scope. Latin letters in the name are pinyin initials, matched by prefix; the region is
 * matched by code prefix. A name in Chinese characters is left to `names.ts`: the exact name,
 * then similar ones found by trigram among the distinct names (see 0002_registry.sql).
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import { personScopeSql } from '../../kernel/access/scope.ts';
import { invalid } from '../../kernel/errors.ts';
import { normalizeId } from '../../kernel/idcard.ts';
import { looksLikeInitials } from '../pinyin.ts';

export interface SearchCriteria {
  /** 18 or 15 digits; matched exactly after normalisation. */
  certno?: string | undefined;
  /** Chinese characters or pinyin initials. */
  name?: string | undefined;
  /** A region code: county, township or village; matches everyone below it. */
  region?: string | undefined;
}

export interface CriteriaSql {
  where: string;
  params: unknown[];
  orderBy: string;
  /** A name in Chinese characters, searched with its similar names (names.ts); else null. */
  chineseName: string | null;
}

const CJK_NAME = /^[\u3400-\u9fff·•]{1,20}$/;

export function criteriaSql(scope: DataScope, c: SearchCriteria): CriteriaSql {
  const params: unknown[] = [];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  let orderBy = 'p.certno';
  let chineseName: string | null = null;

  if (c.certno !== undefined) {
    where.push(`p.certno = ${add(normalizeId(c.certno, 'certno'))}`);
  }
  if (c.region !== undefined) {
    if (!/^\d{6}(\d{3}){0,2}$/.test(c.region)) {
      throw invalid(
        'region.invalid',
        'region',
        `region 行政区划代码应为6、9或12位数字：${c.region}`,
        `region must be a 6, 9 or 12 digit region code: ${c.region}`,
      );
    }
    where.push(`p.region_code LIKE ${add(c.region)} || '%'`);
    orderBy = 'p.region_code USING ~<~, p.certno';
  }
  if (c.name !== undefined) {
    const name = c.name.trim();
    if (CJK_NAME.test(name)) {
      chineseName = name;
    } else if (looksLikeInitials(name)) {
      where.push(`p.name_pinyin_initials LIKE ${add(name.toLowerCase())} || '%'`);
      orderBy = 'p.name_pinyin_initials USING ~<~, p.certno';
    } else {
      throw invalid(
        'name.invalid',
        'name',
        `name 应为汉字姓名或拼音首字母：${name}`,
        `name must be Chinese characters or pinyin initials: ${name}`,
      );
    }
  }
  if (where.length === 0 && chineseName === null) {
    throw invalid(
      'search.empty',
      null,
      '请至少填写身份证号、姓名或行政区划之一',
      'give at least one of certno, name or region',
    );
  }
  const s = personScopeSql(scope, 'p', params.length + 1);
  params.push(...s.params);
  where.push(s.sql);
  return { where: where.join(' AND '), params, orderBy, chineseName };
}
