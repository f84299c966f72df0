/** Permission codes the app checks (the API's own codes: src/auth/roles.ts). */
export const P = {
  dashboard: 'report:dashboard:read',
  personRead: 'registry:person:read',
  personExport: 'registry:person:export',
  personImport: 'registry:person:import',
  flagRead: 'registry:flag:read',
  flagCreate: 'registry:flag:create',
  flagUpdate: 'registry:flag:update',
  billRead: 'settlement:bill:read',
  billSettle: 'settlement:bill:settle',
  billCancel: 'settlement:bill:cancel',
  accumulatorRead: 'settlement:accumulator:read',
  trialRun: 'policy:trial:run',
  packRead: 'policy:pack:read',
  reconcileRead: 'reconcile:campaign:read',
  warningRead: 'monitor:warning:read',
  programmeRead: 'assistance:programme:read',
} as const;
export type PermissionCode = (typeof P)[keyof typeof P];
