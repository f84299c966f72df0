/** Every subcommand, in the order `triguard --help` lists them. */
import type { Command } from '../command.ts';
import { serveCommand } from './serve.ts';
import { migrateCommand } from './migrate.ts';
import { demoCommand } from './demo.ts';
import { idcardCommand } from './idcard.ts';
import { registryCommand } from './registry.ts';
import { policyCommand } from './policy.ts';
import { trialCommand } from './trial.ts';
import { userCommand } from './user.ts';
import { auditCommand } from './audit.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { reconcileCommand } from '../../reconcile/cli/command.ts';
import { catalogueCommand } from '../../catalogue/cli.ts';
import { monitorCommand } from '../../monitoring/cli.ts';
import { assistanceCommand } from '../../assistance/cli.ts';

export const commands: readonly Command[] = [
  serveCommand,
  migrateCommand,
  demoCommand,
  idcardCommand,
  registryCommand,
  policyCommand,
  trialCommand,
  userCommand,
  auditCommand,
  backupCommand,
  restoreCommand,
  reconcileCommand,
  catalogueCommand,
  monitorCommand,
  assistanceCommand,
];
