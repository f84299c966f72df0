/**
 * Every subcommand, in the order `triguard --help` lists them. A command's module is imported only
 * when that command runs: `idcard check` starts without loading Fastify, PGlite, pdfmake or
 * ExcelJS. The summary stands here so `--help` loads nothing; `main.test.ts` checks that it is
 * the command's own.
 */
import type { Command } from '../../cli/command.ts';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  {
    name: 'serve',
    summary: 'migrate and serve the HTTP API (启动服务)',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'migrate',
    summary: 'apply database migrations (数据库迁移)',
    load: async () => (await import('./migrate.ts')).migrateCommand,
  },
  {
    name: 'demo',
    summary: 'load the deterministic demo county (加载演示县数据)',
    load: async () => (await import('./demo.ts')).demoCommand,
  },
  {
    name: 'idcard',
    summary: 'check and normalise resident ID numbers (身份证号校验)',
    load: async () => (await import('./idcard.ts')).idcardCommand,
  },
  {
    name: 'registry',
    summary: 'import, export and look up insured people (参保人导入、导出、查询)',
    load: async () => (await import('./registry.ts')).registryCommand,
  },
  {
    name: 'policy',
    summary: 'policy packs: list, show, diff, check, test / 政策包',
    load: async () => (await import('./policy.ts')).policyCommand,
  },
  {
    name: 'trial',
    summary: 'policy trial calculation of bills (政策试算)',
    load: async () => (await import('./trial.ts')).trialCommand,
  },
  {
    name: 'user',
    summary: 'add, disable, reset accounts; issue machine tokens (账号管理)',
    load: async () => (await import('./user.ts')).userCommand,
  },
  {
    name: 'audit',
    summary: 'verify the audit trail; take or export a checkpoint (审计日志校验)',
    load: async () => (await import('./audit.ts')).auditCommand,
  },
  {
    name: 'backup',
    summary: 'back up the embedded database to a file (备份)',
    load: async () => (await import('./backup.ts')).backupCommand,
  },
  {
    name: 'restore',
    summary: 'restore the embedded database from a backup (恢复)',
    load: async () => (await import('./backup.ts')).restoreCommand,
  },
  {
    name: 'reconcile',
    summary: 'department list reconciliation and the problem ledger (数据比对、问题台账)',
    load: async () => (await import('../../reconcile/cli/command.ts')).reconcileCommand,
  },
  {
    name: 'catalogue',
    summary: 'import and list the insurance catalogue and mappings (医保目录、目录对照)',
    load: async () => (await import('../../catalogue/cli.ts')).catalogueCommand,
  },
  {
    name: 'monitor',
    summary: 'early warning of poverty caused by illness (因病返贫致贫监测预警)',
    load: async () => (await import('../../monitoring/cli.ts')).monitorCommand,
  },
  {
    name: 'chronic',
    summary:
      'outpatient chronic diseases: import certificates and filings, the catalogue (门诊慢特病)',
    load: async () => (await import('../../chronic/cli.ts')).chronicCommand,
  },
  {
    name: 'assistance',
    summary: 'assistance programmes, cards, batch assistance, reports (救助项目、批量救助)',
    load: async () => (await import('../../assistance/cli.ts')).assistanceCommand,
  },
  {
    name: 'care-teams',
    summary: 'severe-mental care teams: import the register, export overdue visits (关爱帮扶小组)',
    load: async () => (await import('../../care/team-cli.ts')).careTeamsCommand,
  },
  {
    name: 'screening',
    summary: 'chronic-disease screening lists, visits and the funnel (慢特病摸底排查)',
    load: async () => (await import('../../chronic/screening-cli.ts')).screeningCommand,
  },
  {
    name: 'replay',
    summary: 'policy replay of a draft over settled bills (政策模拟)',
    load: async () => (await import('../../replay/cli.ts')).replayCommand,
  },
  {
    name: 'payment',
    summary: 'provider payment: statements, advances, year-end clearing (医保支付)',
    load: async () => (await import('../../payment/cli.ts')).paymentCommand,
  },
  {
    name: 'care',
    summary:
      'family-doctor follow-ups: open a month, overdue counts, assessment (家庭医生动态管理)',
    load: async () => (await import('../../care/cli.ts')).careCommand,
  },
];
