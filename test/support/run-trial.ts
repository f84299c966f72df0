/**
 * Runs the real `trial` command in its own process with the process's stdin/stdout/stderr, so a
 * test can check that stdout carries only the JSON answer. The CLI dispatcher is not needed.
 */
import { trialCommand } from '../../src/app/commands/trial.ts';

process.exitCode = await trialCommand.run(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  tty: false,
  env: process.env,
  cwd: process.cwd(),
});
