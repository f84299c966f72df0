/**
 * `triguard` — the command-line entry. Dispatches to one Command per subcommand and turns typed
 * errors into a bilingual message and a non-zero exit code.
 */
import { isTriguardError } from '../kernel/errors.ts';
import type { CliIo } from '../cli/command.ts';
import { commands, type CommandEntry } from './commands/index.ts';

export function defaultIo(): CliIo {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    tty: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

export function usage(list: readonly CommandEntry[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    'Triguard 三重保障平台 — one window, one stop, one bill',
    '',
    'Usage: triguard <command> [options]   (triguard <command> --help for details)',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Environment: DATABASE_URL (PostgreSQL; default embedded PGlite in ./data/pglite),',
    '             TRIGUARD_DATA (PGlite folder), PORT (default 3000), LOG_LEVEL.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage(commands));
    return name ? 0 : 1;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(`未知命令 / unknown command: ${name}\n`);
    io.err(usage(commands));
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (isTriguardError(e)) {
      io.err(JSON.stringify(e.toJSON()));
      return 1;
    }
    throw e;
  }
}
