/**
 * The side menu, built from the signed-in account's permissions: an item the role cannot use is
 * not shown, and a group with nothing left is dropped. A page still to come is listed with
 * `ready: false` until its module adds the page and route; the menu then shows it to the roles
 * that hold the permission.
 */
import { P, type PermissionCode } from './permissions.ts';

export interface MenuItem {
  key: string;
  /** i18n key of the label. */
  label: string;
  path?: string;
  /** Element Plus icon component name. */
  icon?: string;
  /** Shown only to accounts holding this permission; none = every signed-in account. */
  permission?: PermissionCode;
  /** False while the page does not exist yet. */
  ready?: boolean;
  children?: MenuItem[];
}

export const MENU: readonly MenuItem[] = [
  { key: 'home', label: 'menu.home', path: '/', icon: 'HomeFilled' },
  {
    key: 'registry',
    label: 'menu.registry',
    icon: 'User',
    children: [
      {
        key: 'registry-search',
        label: 'menu.registrySearch',
        path: '/registry',
        permission: P.personRead,
      },
      {
        key: 'registry-flagged',
        label: 'menu.flagged',
        path: '/registry/flagged',
        permission: P.dashboard,
      },
      {
        key: 'registry-import',
        label: 'menu.registryImport',
        path: '/registry/import',
        permission: P.personImport,
      },
    ],
  },
  {
    key: 'settlement',
    label: 'menu.settlement',
    path: '/settle',
    icon: 'Wallet',
    permission: P.billSettle,
  },
  {
    key: 'trial',
    label: 'menu.trial',
    path: '/trial',
    icon: 'DataAnalysis',
    permission: P.trialRun,
  },
  {
    key: 'replay',
    label: 'menu.replay',
    path: '/replay',
    icon: 'TrendCharts',
    permission: P.replayRead,
  },
  {
    key: 'reconciliation',
    label: 'menu.reconciliation',
    icon: 'Switch',
    children: [
      {
        key: 'reconciliation-campaigns',
        label: 'menu.reconcileCampaigns',
        path: '/reconciliation',
        permission: P.reconcileRead,
      },
      {
        key: 'reconciliation-problems',
        label: 'menu.problems',
        path: '/reconciliation/problems',
        permission: P.problemRead,
      },
    ],
  },
  {
    key: 'chronic',
    label: 'menu.chronic',
    icon: 'FirstAidKit',
    children: [
      {
        key: 'chronic-screening',
        label: 'menu.chronicScreening',
        path: '/chronic/screening',
        permission: P.screeningRead,
      },
      {
        key: 'chronic-apply',
        label: 'menu.chronicApply',
        path: '/chronic/apply',
        permission: P.chronicApply,
      },
      {
        key: 'chronic-applications',
        label: 'menu.chronicApplications',
        path: '/chronic/applications',
        permission: P.chronicApplicationRead,
      },
      {
        key: 'chronic-reviews',
        label: 'menu.chronicReviews',
        path: '/chronic/reviews',
        permission: P.chronicReview,
      },
      {
        key: 'chronic-certificates',
        label: 'menu.chronicCertificates',
        path: '/chronic/certificates',
        permission: P.certificateRead,
      },
      {
        key: 'two-diseases',
        label: 'menu.twoDiseases',
        path: '/chronic/filings',
        permission: P.certificateRead,
      },
    ],
  },
  {
    key: 'care',
    label: 'menu.care',
    icon: 'Van',
    children: [
      {
        key: 'care-month',
        label: 'menu.careMonth',
        path: '/care/month',
        permission: P.careFollowupRead,
      },
      {
        key: 'care-deliveries',
        label: 'menu.careDeliveries',
        path: '/care/deliveries',
        permission: P.careDeliveryRead,
      },
      {
        key: 'care-spot-checks',
        label: 'menu.careSpotChecks',
        path: '/care/spot-checks',
        permission: P.careSpotcheckRead,
      },
      {
        key: 'care-assessment',
        label: 'menu.careAssessment',
        path: '/care/assessment',
        permission: P.careAssessmentRead,
      },
    ],
  },
  {
    key: 'care-teams',
    label: 'careTeams.menu.group',
    icon: 'UserFilled',
    children: [
      {
        key: 'care-teams-list',
        label: 'careTeams.menu.teams',
        path: '/care/teams',
        permission: P.careTeamRead,
      },
      {
        key: 'care-teams-reports',
        label: 'careTeams.menu.reports',
        path: '/care/reports',
        permission: P.careReportRead,
      },
    ],
  },
  {
    key: 'warnings',
    label: 'menu.warnings',
    path: '/warnings',
    icon: 'Bell',
    permission: P.warningRead,
  },
  {
    key: 'programmes',
    label: 'menu.programmes',
    icon: 'Present',
    children: [
      {
        key: 'programmes-list',
        label: 'menu.programmeList',
        path: '/programmes',
        permission: P.programmeRead,
      },
      {
        key: 'programmes-batches',
        label: 'menu.batches',
        path: '/programmes/batches',
        permission: P.batchRun,
      },
    ],
  },
  {
    key: 'payment',
    label: 'menu.payment',
    icon: 'Money',
    children: [
      {
        key: 'payment-statements',
        label: 'menu.paymentStatements',
        path: '/payment/statements',
        permission: P.paymentRead,
      },
      {
        key: 'payment-clearing',
        label: 'menu.paymentClearing',
        path: '/payment/clearing',
        permission: P.paymentRead,
      },
      {
        key: 'payment-capitation',
        label: 'menu.paymentCapitation',
        path: '/payment/capitation',
        permission: P.paymentRead,
      },
    ],
  },
];

/** The menu as one account sees it. */
export function visibleMenu(
  permissions: ReadonlySet<string>,
  menu: readonly MenuItem[] = MENU,
): MenuItem[] {
  const out: MenuItem[] = [];
  for (const item of menu) {
    if (item.ready === false) continue;
    if (item.permission && !permissions.has(item.permission)) continue;
    if (item.children) {
      const children = visibleMenu(permissions, item.children);
      if (children.length === 0) continue;
      out.push({ ...item, children });
    } else {
      out.push(item);
    }
  }
  return out;
}
