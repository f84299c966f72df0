/**
 * A CLI subcommand. Each lives in its own file under `src/cli/commands/` and is registered in
 * `src/cli/commands/index.ts`. `run` returns the exit code; it writes results to `io.out` and
 * diagnostics (progress, warnings, errors) to `io.err`, so `trial` and `idcard check` can promise
 * that stdout holds only JSON.
 */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** True when stderr is a terminal: show a progress bar instead of progress lines. */
  tty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Command {
  /** e.g. `policy` or `idcard`. */
  name: string;
  /** One line for `triguard --help`. */
  summary: string;
  /** Full help text for `triguard NAME --help`. */
  help: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h');
