import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import AppMenu from './AppMenu.vue';
import { plugins } from '../test-support.ts';
import { MENU, visibleMenu } from '../menu.ts';
import { ROLE_PERMISSIONS, type Role } from '../../../src/auth/roles.ts';

const menuOf = (role: Role) =>
  mount(AppMenu, {
    props: { permissions: new Set<string>(ROLE_PERMISSIONS[role]), active: '/' },
    global: { plugins: plugins() },
  });

const keys = (w: ReturnType<typeof menuOf>) =>
  w.findAll('[data-menu]').map((e) => e.attributes('data-menu'));

describe('permission-based menu', () => {
  it('shows bureau staff the settlement window, import and trial', () => {
    const w = menuOf('bureau_staff');
    expect(keys(w)).toEqual(
      expect.arrayContaining(['home', 'registry-search', 'registry-import', 'settlement', 'trial']),
    );
    expect(w.text()).toContain('结算窗口');
  });

  it('hides what a township office may not use', () => {
    const k = keys(menuOf('township_office'));
    expect(k).toContain('registry-search');
    expect(k).not.toContain('settlement');
    expect(k).not.toContain('registry-import');
    expect(k).not.toContain('trial');
  });

  it('drops a group with nothing left in it', () => {
    const k = keys(
      mount(AppMenu, {
        props: { permissions: new Set<string>(['auth:session:read']), active: '/' },
        global: { plugins: plugins() },
      }),
    );
    expect(k).toEqual(['home']);
  });

  it('keeps pages still to come out of every menu, even the administrator’s', () => {
    const planned = MENU.filter((m) => m.ready === false).map((m) => m.key);
    expect(planned).toEqual(['reconciliation', 'warnings', 'programmes']);
    const admin = visibleMenu(new Set<string>(ROLE_PERMISSIONS.bureau_admin)).map((m) => m.key);
    for (const p of planned) expect(admin).not.toContain(p);
  });
});
