import { expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { createHash } from 'node:crypto';
import { appendAudit, CHAINS, chainOf, GENESIS_HASH, recordAudit } from './log.ts';
import { verifyAudit } from '../app/audit.ts';
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';

const clerk: Actor = {
  id: 'u-clerk',
  name: '经办员',
  roles: ['bureau_staff'],
  permissions: new Set(['registry:person:update']),
  scope: { kind: 'region', regionCode: '370899' },
  origin: '10.0.0.7',
};

describeDb('audit log', (ctx) => {
  it('an empty log verifies; its fingerprint covers every chain at the genesis hash', async () => {
    const v = await verifyAudit(ctx.db);
    const empty = createHash('sha256');
    for (let c = 0; c <= CHAINS; c++) empty.update(`${c}:0:${GENESIS_HASH}\n`);
    expect(v).toMatchObject({ ok: true, entries: 0, headSeq: 0, headHash: empty.digest('hex') });
  });

  it('puts entries about one person in one chain and entries about nobody in chain 0', () => {
    const a = chainOf('370899199001010011');
    expect(a).toBeGreaterThanOrEqual(1);
    expect(a).toBeLessThanOrEqual(CHAINS);
    expect(chainOf('370899199001010011')).toBe(a);
    expect(chainOf(null)).toBe(0);
    const spread = new Set(
      Array.from({ length: 500 }, (_, i) => chainOf(`3708991990010${String(i).padStart(5, '0')}`)),
    );
    expect(spread.size).toBeGreaterThan(CHAINS / 2);
  });

  it('chains entries: each holds the previous hash, and the chain verifies', async () => {
    await ctx.db.transaction(async (tx) => {
      await appendAudit(tx, {
        actor: clerk,
        action: 'registry.person.update',
        entity: 'person',
        entityId: '370899199001010011',
        certno: '370899199001010011',
        before: { phone: '13800000000', name: '张三' },
        after: { name: '张三', phone: '13900000000' },
      });
      await appendAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: 'registry.sensitive.read',
        entity: 'person',
        entityId: '370899199001010011',
        certno: '370899199001010011',
      });
    });
    const rows = await ctx.db.query<{
      seq: number;
      chain: number;
      chain_seq: number;
      prev_hash: string;
      hash: string;
    }>('SELECT seq, chain, chain_seq, prev_hash, hash FROM audit_log ORDER BY seq');
    expect(rows.rows.map((r) => [r.seq, r.chain, r.chain_seq])).toEqual([
      [1, chainOf('370899199001010011'), 1],
      [2, chainOf('370899199001010011'), 2],
    ]);
    expect(rows.rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows.rows[1]!.prev_hash).toBe(rows.rows[0]!.hash);
    const v = await verifyAudit(ctx.db);
    expect(v).toMatchObject({ ok: true, entries: 2, headSeq: 2 });
  });

  it('rolls the entry back with the change it records', async () => {
    await expect(
      ctx.db.transaction(async (tx) => {
        await appendAudit(tx, { actor: clerk, action: 'x.y.update', entity: 'y', entityId: '1' });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    expect((await verifyAudit(ctx.db)).entries).toBe(2);
  });

  it('requires a reason for cancellations and corrections', async () => {
    for (const action of ['settlement.bill.cancel', 'registry.flag.correct']) {
      await expect(
        recordAudit(ctx.db, { actor: clerk, action, entity: 'bill', entityId: '9', reason: ' ' }),
      ).rejects.toMatchObject({ code: 'audit.reason_required', field: 'reason' });
    }
    await recordAudit(ctx.db, {
      actor: clerk,
      action: 'settlement.bill.cancel',
      entity: 'bill',
      entityId: '9',
      reason: '重复结算 duplicate',
    });
    expect((await verifyAudit(ctx.db)).ok).toBe(true);
  });

  it('serialises concurrent appends into unbroken chains, about nobody and about people', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordAudit(ctx.db, {
          actor: clerk,
          action: 'x.y.create',
          entity: 'y',
          entityId: `${i}`,
          // Half about nobody (chain 0), half about three people (three chains).
          certno: i % 2 ? null : `37089919900101001${i % 3}`,
        }),
      ),
    );
    const v = await verifyAudit(ctx.db, { batch: 7 });
    expect(v).toMatchObject({ ok: true, entries: 23 });
    const chains = await ctx.db.query<{ chain: number; n: number; top: number }>(
      'SELECT chain, count(*)::int AS n, max(chain_seq)::int AS top FROM audit_log GROUP BY chain',
    );
    // Every chain is numbered 1..n without a hole.
    for (const c of chains.rows) expect(c.top).toBe(c.n);
    expect(chains.rows.length).toBeGreaterThan(1);
  });

  it('detects an altered row', async () => {
    await ctx.db.exec(`UPDATE audit_log SET after_json = '{"phone":"1"}' WHERE seq = 1`);
    const v = await verifyAudit(ctx.db);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ seq: 1, kind: 'hash_mismatch' })]);
  });

  it('changes the fingerprint when any chain moves', async () => {
    const before = (await verifyAudit(ctx.db)).headHash;
    await recordAudit(ctx.db, {
      actor: clerk,
      action: 'x.y.create',
      entity: 'y',
      entityId: 'z',
      certno: '370899199001010099',
    });
    expect((await verifyAudit(ctx.db)).headHash).not.toBe(before);
  });
});

describeDb('audit log deletions', (ctx) => {
  const append = (n: number) =>
    recordAudit(ctx.db, { actor: clerk, action: 'x.y.create', entity: 'y', entityId: `${n}` });

  it('detects a deleted entry in the middle and a deleted tail', async () => {
    for (let i = 0; i < 5; i++) await append(i);
    await ctx.db.exec('DELETE FROM audit_log WHERE seq = 3');
    let v = await verifyAudit(ctx.db);
    expect(v.problems.map((p) => [p.trail, p.seq, p.kind])).toEqual([
      ['log', 4, 'gap'],
      ['log', 4, 'broken_link'],
    ]);
    await ctx.db.exec('DELETE FROM audit_log WHERE seq = 5');
    v = await verifyAudit(ctx.db);
    expect(v.problems.map((p) => p.kind)).toContain('head_mismatch');
  });

  it('detects a re-hashed row whose successor still links to the old hash', async () => {
    const { hashRecord, AUDIT_SELECT, toRecord } = await import('./log.ts');
    const row = await ctx.db.query<Parameters<typeof toRecord>[0]>(`${AUDIT_SELECT} WHERE seq = 1`);
    const forged = { ...toRecord(row.rows[0]!), reason: 'forged' };
    await ctx.db.query('UPDATE audit_log SET reason = $1, hash = $2 WHERE seq = 1', [
      forged.reason,
      hashRecord(forged),
    ]);
    const v = await verifyAudit(ctx.db);
    expect(v.problems.map((p) => [p.seq, p.kind])).toContainEqual([2, 'broken_link']);
  });
});
