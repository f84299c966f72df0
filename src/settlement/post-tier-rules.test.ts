import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromPackageRoot } from '../kernel/package-root.ts';
import { postTierRules } from './post-tier-rules.ts';

const demo = readFileSync(fromPackageRoot('policies/demo-2022/post_tier.yaml'), 'utf8');
const packWith = (text: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-post-tier-'));
  writeFileSync(join(dir, 'post_tier.yaml'), text);
  return dir;
};

describe('post_tier.yaml', () => {
  it('reads the demo pack’s waiver with its dated days and ratio', () => {
    const [rule] = postTierRules(packWith(demo)).hospitalWaiver;
    expect(rule).toMatchObject({ code: 'rehab_free_inpatient', visitTypes: ['inpatient'] });
    expect(rule?.days?.[0]?.value).toBe(90);
    expect(rule?.ratio[0]?.value).toBe(10_000);
    expect(rule?.channels).toBeNull();
  });

  it('reads the free drugs: delivered bills only, not during the free inpatient period, no period of its own', () => {
    const drugs = postTierRules(packWith(demo)).hospitalWaiver.find(
      (r) => r.code === 'rehab_free_drugs',
    );
    expect(drugs).toMatchObject({
      programme: 'rehab_free_inpatient',
      visitTypes: ['chronic_outpatient'],
      channels: ['delivery'],
      notDuring: 'rehab_free_inpatient',
      days: null,
    });
  });

  it('a pack without the file has no post-tier step', () => {
    expect(postTierRules(mkdtempSync(join(tmpdir(), 'tg-post-tier-'))).hospitalWaiver).toEqual([]);
  });

  it('refuses a malformed rule as bad input naming the key, not as a crash', () => {
    const dir = packWith(demo.replace('visit_types: [inpatient]', 'visit_types: [stay]'));
    expect(() => postTierRules(dir)).toThrow(
      expect.objectContaining({
        code: 'policy.post_tier_invalid',
        field: 'post_tier.yaml hospital_waiver.rehab_free_inpatient.visit_types.0',
      }),
    );
    // `not_during` must name a rule of the file that has a free period.
    const during = packWith(demo.replace('not_during: rehab_free_inpatient', 'not_during: nope'));
    expect(() => postTierRules(during)).toThrow(
      expect.objectContaining({
        field: 'post_tier.yaml hospital_waiver.rehab_free_drugs.not_during',
      }),
    );
    const pct = packWith(demo.replace('value: 100%', 'value: 100'));
    expect(() => postTierRules(pct)).toThrow(
      expect.objectContaining({ code: 'policy.post_tier_invalid' }),
    );
  });
});
