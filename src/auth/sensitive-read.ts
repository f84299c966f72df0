/**
 * Every read that reveals a sensitive field (a psychiatric diagnosis, a severe-mental flag) is
 * audited, like a write. Call after masking, only when `revealsSensitive` says something was shown.
 */
import type { Db } from '../db/db.ts';
import { recordAudit } from '../audit/index.ts';
import type { Actor } from '../kernel/access/actor.ts';

export function auditSensitiveRead(
  db: Db,
  actor: Actor,
  what: { entity: string; entityId: string; certno: string | null; fields: readonly string[] },
): Promise<void> {
  return recordAudit(db, {
    actor,
    action: 'registry.sensitive.read',
    entity: what.entity,
    entityId: what.entityId,
    certno: what.certno,
    after: { fields: [...what.fields] },
  });
}
