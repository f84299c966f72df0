/**
 * Pages and who may open them. A page declares the permission it needs (the same code the API
 * checks); the guard sends a visitor without a session to the login page, an account that must
 * replace its first password to that form, and a role without the permission to "not permitted".
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { P, type PermissionCode } from './permissions.ts';
import { can, restore, session } from './session.ts';
import { whenUnauthenticated } from './api/client.ts';
import { expire } from './session.ts';

declare module 'vue-router' {
  interface RouteMeta {
    permission?: PermissionCode;
    public?: boolean;
    /** i18n key of the page title. */
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./pages/LoginPage.vue'),
    meta: { public: true, title: 'login.title' },
  },
  {
    path: '/password',
    name: 'password',
    component: () => import('./pages/PasswordPage.vue'),
    meta: { title: 'password.title' },
  },
  {
    path: '/',
    component: () => import('./layout/AppLayout.vue'),
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('./pages/HomePage.vue'),
        meta: { title: 'menu.home' },
      },
      {
        path: 'registry',
        name: 'registry',
        component: () => import('./pages/RegistrySearch.vue'),
        meta: { permission: P.personRead, title: 'menu.registrySearch' },
      },
      {
        path: 'registry/flagged',
        name: 'flagged',
        component: () => import('./pages/FlaggedPeople.vue'),
        meta: { permission: P.dashboard, title: 'menu.flagged' },
      },
      {
        path: 'registry/import',
        name: 'import',
        component: () => import('./pages/RegistryImport.vue'),
        meta: { permission: P.personImport, title: 'menu.registryImport' },
      },
      {
        path: 'persons/:certno',
        name: 'person',
        component: () => import('./pages/PersonPage.vue'),
        meta: { permission: P.personRead, title: 'registry.basic' },
      },
      {
        path: 'settle',
        name: 'settle',
        component: () => import('./pages/SettlementWindow.vue'),
        meta: { permission: P.billSettle, title: 'menu.settlement' },
      },
      {
        path: 'settlements/:id',
        name: 'settlement',
        component: () => import('./pages/SettlementDetail.vue'),
        meta: { permission: P.billRead, title: 'settle.detail' },
      },
      {
        path: 'trial',
        name: 'trial',
        component: () => import('./pages/TrialPage.vue'),
        meta: { permission: P.trialRun, title: 'menu.trial' },
      },
      {
        path: 'warnings',
        name: 'warnings',
        component: () => import('./pages/WarningsPage.vue'),
        meta: { permission: P.warningRead, title: 'menu.warnings' },
      },
      {
        path: 'programmes',
        name: 'programmes',
        component: () => import('./pages/ProgrammesPage.vue'),
        meta: { permission: P.programmeRead, title: 'menu.programmeList' },
      },
      {
        path: 'programmes/batches',
        name: 'batches',
        component: () => import('./pages/BatchesPage.vue'),
        meta: { permission: P.batchRun, title: 'menu.batches' },
      },
      {
        path: 'programmes/batches/:batchId',
        name: 'batch',
        component: () => import('./pages/BatchPage.vue'),
        meta: { permission: P.programmeRead, title: 'programmes.batchTitle' },
      },
      {
        path: 'programmes/:id',
        name: 'programme',
        component: () => import('./pages/ProgrammePage.vue'),
        meta: { permission: P.programmeRead, title: 'menu.programmeList' },
      },
      {
        path: 'reconciliation',
        name: 'reconciliation',
        component: () => import('./pages/CampaignsPage.vue'),
        meta: { permission: P.reconcileRead, title: 'menu.reconcileCampaigns' },
      },
      {
        path: 'reconciliation/problems',
        name: 'problems',
        component: () => import('./pages/ProblemLedger.vue'),
        meta: { permission: P.problemRead, title: 'menu.problems' },
      },
      {
        path: 'reconciliation/:id',
        name: 'campaign',
        component: () => import('./pages/CampaignPage.vue'),
        meta: { permission: P.reconcileRead, title: 'menu.reconcileCampaigns' },
      },
      {
        path: 'chronic/screening',
        name: 'screening',
        component: () => import('./pages/ChronicScreening.vue'),
        meta: { permission: P.screeningRead, title: 'menu.chronicScreening' },
      },
      {
        path: 'chronic/apply',
        name: 'chronic-apply',
        component: () => import('./pages/ChronicApply.vue'),
        meta: { permission: P.chronicApply, title: 'chronic.application.newTitle' },
      },
      {
        path: 'chronic/applications',
        name: 'chronic-applications',
        component: () => import('./pages/ChronicApplications.vue'),
        meta: { permission: P.chronicApplicationRead, title: 'menu.chronicApplications' },
      },
      {
        path: 'chronic/applications/:id',
        name: 'chronic-application',
        component: () => import('./pages/ChronicApplication.vue'),
        meta: { permission: P.chronicApplicationRead, title: 'chronic.application.title' },
      },
      {
        path: 'chronic/reviews',
        name: 'chronic-reviews',
        component: () => import('./pages/ChronicReviews.vue'),
        meta: { permission: P.chronicReview, title: 'menu.chronicReviews' },
      },
      {
        path: 'chronic/certificates',
        name: 'certificates',
        component: () => import('./pages/ChronicCertificates.vue'),
        meta: { permission: P.certificateRead, title: 'menu.chronicCertificates' },
      },
      {
        path: 'chronic/certificates/:certno',
        name: 'certificate',
        component: () => import('./pages/ChronicCertificate.vue'),
        meta: { permission: P.certificateRead, title: 'chronic.certificate.title' },
      },
      {
        path: 'chronic/filings',
        name: 'filings',
        component: () => import('./pages/TwoDiseasesFilings.vue'),
        meta: { permission: P.certificateRead, title: 'menu.twoDiseases' },
      },
      {
        path: 'replay',
        name: 'replay',
        component: () => import('./pages/ReplayPage.vue'),
        meta: { permission: P.replayRead, title: 'menu.replay' },
      },
      {
        path: 'payment/statements',
        name: 'payment-statements',
        component: () => import('./pages/PaymentStatements.vue'),
        meta: { permission: P.paymentRead, title: 'menu.paymentStatements' },
      },
      {
        path: 'payment/clearing',
        name: 'payment-clearing',
        component: () => import('./pages/PaymentClearing.vue'),
        meta: { permission: P.paymentRead, title: 'menu.paymentClearing' },
      },
      {
        path: 'payment/capitation',
        name: 'payment-capitation',
        component: () => import('./pages/PaymentCapitation.vue'),
        meta: { permission: P.paymentRead, title: 'menu.paymentCapitation' },
      },
      {
        path: 'care/month',
        name: 'care-month',
        component: () => import('./pages/CareMonth.vue'),
        meta: { permission: P.careFollowupRead, title: 'menu.careMonth' },
      },
      {
        path: 'care/persons/:certno',
        name: 'care-person',
        component: () => import('./pages/CarePerson.vue'),
        meta: { permission: P.careFollowupRead, title: 'care.personTitle' },
      },
      {
        path: 'care/deliveries',
        name: 'care-deliveries',
        component: () => import('./pages/CareDeliveries.vue'),
        meta: { permission: P.careDeliveryRead, title: 'menu.careDeliveries' },
      },
      {
        path: 'care/spot-checks',
        name: 'care-spot-checks',
        component: () => import('./pages/CareSpotChecks.vue'),
        meta: { permission: P.careSpotcheckRead, title: 'menu.careSpotChecks' },
      },
      {
        path: 'care/assessment',
        name: 'care-assessment',
        component: () => import('./pages/CareAssessment.vue'),
        meta: { permission: P.careAssessmentRead, title: 'menu.careAssessment' },
      },
      {
        path: 'care/teams',
        name: 'care-teams',
        component: () => import('./pages/CareTeamList.vue'),
        meta: { permission: P.careTeamRead, title: 'careTeams.menu.teams' },
      },
      {
        path: 'care/teams/:certno',
        name: 'care-team',
        component: () => import('./pages/CareTeamPage.vue'),
        meta: { permission: P.careTeamRead, title: 'careTeams.teams' },
      },
      {
        path: 'care/reports',
        name: 'care-reports',
        component: () => import('./pages/CareTeamReports.vue'),
        meta: { permission: P.careReportRead, title: 'careTeams.menu.reports' },
      },
      {
        path: 'forbidden',
        name: 'forbidden',
        component: () => import('./pages/ForbiddenPage.vue'),
        meta: { title: 'forbidden.title' },
      },
      {
        path: ':rest(.*)*',
        name: 'not-found',
        component: () => import('./pages/ForbiddenPage.vue'),
        meta: { title: 'notFound.title' },
      },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (!session.checked) await restore();
  if (to.meta.public) return session.account && to.name === 'login' ? { name: 'home' } : true;
  if (!session.account) {
    return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  }
  if (session.account.mustChangePassword && to.name !== 'password') return { name: 'password' };
  if (to.meta.permission && !can(to.meta.permission)) return { name: 'forbidden' };
  return true;
});

// A session that ends while the app is open (expiry, sign-out elsewhere): back to the login page.
whenUnauthenticated(() => {
  expire();
  const here = router.currentRoute.value;
  if (!here.meta.public) {
    void router.push({ name: 'login', query: { next: here.fullPath } });
  }
});
