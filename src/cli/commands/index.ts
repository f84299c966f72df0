/** Every subcommand, in the order `triguard --help` lists them. */
import type { Command } from '../command.ts';
import { serveCommand } from './serve.ts';
import { migrateCommand } from './migrate.ts';
import { demoCommand } from './demo.ts';
import { idcardCommand } from './idcard.ts';
import { policyCommand } from './policy.ts';
import { trialCommand } from './trial.ts';

export const commands: readonly Command[] = [
  serveCommand,
  migrateCommand,
  demoCommand,
  idcardCommand,
  policyCommand,
  trialCommand,
];
