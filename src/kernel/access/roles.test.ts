import { describe, expect, it } from 'vitest';
import {
  can,
  isPermission,
  PERMISSIONS,
  permissionsOf,
  ROLE_LABELS,
  ROLE_PERMISSIONS,
  ROLES,
} from './roles.ts';

const holders = (p: string) =>
  ROLES.filter((r) => (ROLE_PERMISSIONS[r] as readonly string[]).includes(p));

describe('the role × permission table', () => {
  it('uses module:entity:action codes, each with zh and en labels', () => {
    for (const [code, label] of Object.entries(PERMISSIONS)) {
      expect(code).toMatch(/^[a-z]+:[a-z_]+:[a-z_]+$/);
      expect(label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(label.en).toBeTruthy();
    }
    for (const r of ROLES) expect(ROLE_LABELS[r].zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('grants only known permissions, none twice', () => {
    for (const r of ROLES) {
      const list = ROLE_PERMISSIONS[r];
      expect(list.filter((p) => !isPermission(p))).toEqual([]);
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('gives the administrator everything and account administration to nobody else', () => {
    expect([...permissionsOf(['bureau_admin'])].sort()).toEqual(Object.keys(PERMISSIONS).sort());
    for (const p of ['auth:user:create', 'auth:user:update', 'auth:user:reset']) {
      expect(holders(p)).toEqual(['bureau_admin']);
    }
  });

  it('keeps the auditor read-only: reads, plus signing itself out and changing its password', () => {
    const writes = ROLE_PERMISSIONS.auditor.filter(
      (p) => !p.endsWith(':read') && !p.startsWith('auth:session:') && p !== 'auth:password:update',
    );
    expect(writes).toEqual([]);
    expect(holders('audit:entry:read')).toEqual(['bureau_admin', 'auditor']);
  });

  it('shows psychiatric data only to the roles whose work needs it', () => {
    expect(holders('registry:sensitive:read')).toEqual([
      'bureau_admin',
      'bureau_staff',
      'family_doctor',
      'expert_reviewer',
    ]);
  });

  it('gives every role its own account, sign-out and password change', () => {
    for (const r of ROLES) {
      const mine = permissionsOf([r]);
      for (const p of [
        'auth:session:read',
        'auth:session:delete',
        'auth:password:update',
      ] as const) {
        expect(can({ permissions: mine }, p)).toBe(true);
      }
    }
  });

  it('grants nothing for unknown roles, everything for the system actor', () => {
    expect(permissionsOf(['root', 'admin']).size).toBe(0);
    expect(can({ permissions: new Set(['*']) }, 'settlement:bill:cancel')).toBe(true);
    expect(can({ permissions: permissionsOf(['auditor']) }, 'settlement:bill:cancel')).toBe(false);
  });
});
