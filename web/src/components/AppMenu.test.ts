import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import AppMenu from './AppMenu.vue';
import { plugins } from '../test-support.ts';
import { MENU, visibleMenu } from '../menu.ts';
import { ROLE_PERMISSIONS, type Role } from '../../../src/kernel/access/roles.ts';

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

  it('shows reconciliation, warnings and programmes to the roles that hold their permissions', () => {
    expect(MENU.filter((m) => m.ready === false)).toEqual([]);
    const of = (role: Role) =>
      visibleMenu(new Set<string>(ROLE_PERMISSIONS[role])).flatMap((m) => [
        m.key,
        ...(m.children ?? []).map((c) => c.key),
      ]);
    expect(of('bureau_staff')).toEqual(
      expect.arrayContaining([
        'reconciliation-campaigns',
        'reconciliation-problems',
        'warnings',
        'programmes-list',
        'programmes-batches',
      ]),
    );
    // Civil affairs: warnings to decide and the ledger, no campaigns, no programmes.
    const civil = of('civil_affairs');
    expect(civil).toEqual(expect.arrayContaining(['warnings', 'reconciliation-problems']));
    expect(civil).not.toContain('reconciliation-campaigns');
    expect(civil).not.toContain('programmes');
    // A township office reads programmes but does not run batches.
    const township = of('township_office');
    expect(township).toContain('programmes-list');
    expect(township).not.toContain('programmes-batches');
    // A hospital sees none of the three.
    const hospital = of('designated_institution');
    for (const k of ['reconciliation', 'warnings', 'programmes']) expect(hospital).not.toContain(k);
  });

  it('shows each role the chronic-disease pages its chronic permissions allow', () => {
    const of = (role: Role) =>
      visibleMenu(new Set<string>(ROLE_PERMISSIONS[role])).flatMap((m) => [
        m.key,
        ...(m.children ?? []).map((c) => c.key),
      ]);
    const all = [
      'chronic-screening',
      'chronic-apply',
      'chronic-applications',
      'chronic-reviews',
      'chronic-certificates',
      'two-diseases',
    ];
    expect(of('bureau_staff')).toEqual(expect.arrayContaining(all));
    // The family doctor screens, applies and files, and does not review.
    const doctor = of('family_doctor');
    expect(doctor).toEqual(
      expect.arrayContaining([
        'chronic-screening',
        'chronic-apply',
        'chronic-applications',
        'two-diseases',
      ]),
    );
    expect(doctor).not.toContain('chronic-reviews');
    // The expert reviews and reads certificates; no screening, no applying.
    const expert = of('expert_reviewer');
    expect(expert).toEqual(expect.arrayContaining(['chronic-reviews', 'chronic-certificates']));
    expect(expert).not.toContain('chronic-screening');
    expect(expert).not.toContain('chronic-apply');
    // A hospital applies and reads certificates and filings, without screening lists.
    const hospital = of('designated_institution');
    expect(hospital).toEqual(
      expect.arrayContaining(['chronic-apply', 'chronic-certificates', 'two-diseases']),
    );
    expect(hospital).not.toContain('chronic-screening');
    // Civil affairs hold no chronic permission: the group is dropped.
    expect(of('civil_affairs')).not.toContain('chronic');
  });
});
