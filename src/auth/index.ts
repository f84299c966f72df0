/**
 * Sign-in, sessions, accounts and the HTTP plugin that checks each route's permission. The
 * permission table, data scopes and masking live in kernel/access, below every domain. The only
 * module other domains and the composition root import.
 */
export { accountScopeSchema, type AccountScope } from './accounts.ts';
export { DEMO_INSTITUTION, loginHelp, seedDemoAccounts } from './demo-accounts.ts';
export { recordInstitutionPatient } from './institution.ts';
export { installAuth } from './plugin.ts';
export { authRoutes } from './routes.ts';
export { auditSensitiveRead } from './sensitive-read.ts';
export { userRoutes } from './user-routes.ts';
export {
  createAccount,
  disableAccount,
  issueToken,
  listAccounts,
  resetPassword,
  usernameSchema,
} from './users.ts';
