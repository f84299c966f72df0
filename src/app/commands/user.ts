import { z } from 'zod';
import { openFromEnv } from '../../db/open.ts';
import { migrate } from '../../db/migrate.ts';
import { invalid } from '../../kernel/errors.ts';
import {
  accountScopeSchema,
  type AccountScope,
  createAccount,
  disableAccount,
  issueToken,
  listAccounts,
  resetPassword,
  usernameSchema,
} from '../../auth/index.ts';
import { ROLES } from '../../kernel/access/roles.ts';
import { SYSTEM_ACTOR, type Actor } from '../../kernel/access/actor.ts';
import { parse } from '../../cli/args.ts';
import type { CliIo, Command } from '../../cli/command.ts';
import { wantsHelp } from '../../cli/command.ts';

const HELP = `triguard user add USERNAME --role ROLE[,ROLE] --region CODE [--institution CODE | --department D]
                  [--name NAME] [--machine]
triguard user disable USERNAME --reason TEXT
triguard user reset USERNAME [--reason TEXT]
triguard user token USERNAME --label TEXT [--days N]
triguard user list

Manages accounts (账号管理). Results are JSON on stdout.
  add      creates an account; prints its first password, which must be changed at first sign-in.
           --region is the account's county (6 digits), township (9) or village (12) code;
           --institution makes it a designated institution's account (sees the people it treated);
           --department a department's account (sees the people flagged by it, e.g. civil_affairs);
           --machine: no password, for hospital systems and the civil-affairs push (use token).
  disable  disables the account and ends its sessions.
  reset    sets a new temporary password, unlocks the account, ends its sessions.
  token    issues a bearer token (default 365 days) for a machine client; shown once.
Roles: ${ROLES.join(', ')}`;

/** Runs a zod schema over CLI input, answering like the API does: the field and what is wrong. */
function check<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = [field, ...(issue?.path ?? []).map(String)].join('.');
  const msg = issue?.message ?? 'invalid';
  throw invalid('cli.invalid', at, `${at} 无效：${msg}`, `${at} is invalid: ${msg}`);
}

function operator(io: CliIo): Actor {
  return { ...SYSTEM_ACTOR, name: `cli:${io.env.USER ?? io.env.USERNAME ?? 'operator'}` };
}

function scopeFrom(values: {
  region?: string;
  institution?: string;
  department?: string;
}): AccountScope {
  if (values.institution && values.department) {
    throw invalid(
      'cli.bad_arguments',
      '--institution',
      '--institution 与 --department 只能选一个',
      'give --institution or --department, not both',
    );
  }
  const raw = values.institution
    ? { kind: 'institution', fixmedinsCode: values.institution, regionCode: values.region }
    : values.department
      ? { kind: 'department', department: values.department, regionCode: values.region }
      : { kind: 'region', regionCode: values.region };
  return check(accountScopeSchema, raw, '--scope');
}

async function run(sub: string, argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {
    role: { type: 'string' },
    region: { type: 'string' },
    institution: { type: 'string' },
    department: { type: 'string' },
    name: { type: 'string' },
    machine: { type: 'boolean' },
    reason: { type: 'string' },
    label: { type: 'string' },
    days: { type: 'string' },
  });
  const db = await openFromEnv(io.env);
  try {
    await migrate(db);
    const actor = operator(io);
    if (sub === 'list') {
      for (const a of await listAccounts(db, actor)) io.out(JSON.stringify(a));
      return 0;
    }
    const username = check(usernameSchema, positionals[0], 'USERNAME');
    switch (sub) {
      case 'add': {
        const roles = check(
          z.array(z.enum(ROLES)).min(1),
          (values.role ?? '').split(',').filter(Boolean),
          '--role',
        );
        const created = await createAccount(db, actor, {
          username,
          displayName: values.name ?? username,
          roles: [...new Set(roles)],
          scope: scopeFrom(values),
          machine: values.machine ?? false,
        });
        io.out(JSON.stringify({ account: created.account, temporaryPassword: created.password }));
        return 0;
      }
      case 'disable': {
        const reason = check(z.string().trim().min(1), values.reason, '--reason');
        io.out(JSON.stringify({ account: await disableAccount(db, actor, username, reason) }));
        return 0;
      }
      case 'reset': {
        const r = await resetPassword(db, actor, username, values.reason ?? null);
        io.out(JSON.stringify({ account: r.account, temporaryPassword: r.password }));
        return 0;
      }
      case 'token': {
        const label = check(z.string().trim().min(1).max(64), values.label, '--label');
        const days = check(
          z.coerce.number().int().min(1).max(3650),
          values.days ?? '365',
          '--days',
        );
        io.out(JSON.stringify(await issueToken(db, actor, username, days, label)));
        return 0;
      }
      default:
        io.err(`未知子命令 / unknown subcommand: user ${sub}\n\n${HELP}`);
        return 2;
    }
  } finally {
    await db.close();
  }
}

export const userCommand: Command = {
  name: 'user',
  summary: 'add, disable, reset accounts; issue machine tokens (账号管理)',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (!sub || wantsHelp(argv)) {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    return run(sub, rest, io);
  },
};
