/**
 * Test fixtures for the chronic workflow: the test county's people (auth/testing/accounts.ts PEOPLE),
 * regions, a township health centre (level 1, township 001) and the county hospital (level 2)
 * registered as gateway institutions, actors of each role, documents of each file type.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import { permissionsOf, type Role } from '../../kernel/access/roles.ts';
import { ROLE_SCOPES } from '../../auth/testing/accounts.ts';
import type { Db } from '../../db/db.ts';
import { registerDemoInstitutions, townshipCentreCode } from '../../catalogue/demo-institutions.ts';

/** The demo county's register (catalogue/demo-institutions.ts): a health centre per township. */
export const HEALTH_CENTRE = townshipCentreCode(1);
export const HEALTH_CENTRE_2 = townshipCentreCode(2);
export const COUNTY_HOSPITAL = 'H37089900001';

export async function seedInstitutions(db: Db): Promise<void> {
  await registerDemoInstitutions(db);
}

/** An actor of `role` with the test scopes of auth/testing/accounts.ts (no session needed). */
export function actorOf(role: Role, id = `t_${role}`): Actor {
  return {
    id,
    name: id,
    roles: [role],
    permissions: permissionsOf([role]),
    scope: ROLE_SCOPES[role],
    origin: null,
  };
}

/** The smallest files of each kind the magic-byte check accepts, and one it refuses. */
export const FILES = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  exe: Buffer.from('MZ\x90\x00\x03\x00\x00\x00'),
};

/** A multipart/form-data body with text fields first, then one file. */
export function multipart(
  fields: Record<string, string>,
  file: { name: string; content: Buffer; type?: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----triguard${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
