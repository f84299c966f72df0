import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openFromEnv } from '../../db/open.ts';
import { verifyAudit } from '../audit.ts';
import { checkpointSummary, latestCheckpoint, parseCheckpoint } from '../../audit/index.ts';
import { takeCheckpoint } from '../audit.ts';
import { SYSTEM_ACTOR, type Actor } from '../../kernel/access/actor.ts';
import type { Command } from '../../cli/command.ts';
import { wantsHelp } from '../../cli/command.ts';

const HELP = `triguard audit verify [--checkpoint FILE]
triguard audit checkpoint [--export FILE] [--last]

verify: checks the audit trail (审计日志校验, docs/audit.md). The audit log's hash chains and each
person's chain of settlements for a medical year (a settlement row is its own audit entry, its
chain's head is the person's accumulator row): every entry must follow the one before it, link
to its hash and hash to what it holds, and the last must be the recorded chain head. A
settlement's ledger rows must be the tiers its sealed delta moved; each accumulator row must be
what its settlements add up to; each person, flag and enrolment row must be what its last audit
entry recorded; and every chain must still extend the head the last checkpoint recorded
(--checkpoint FILE: an exported checkpoint instead of the database's last one). Prints a JSON
summary; exit code 0 when intact, 1 when not; each problem is listed on stderr.

checkpoint: records every chain head and one digest over them all (检查点) in the database and
as an audit log entry, and prints it as JSON without the settlement heads. --export FILE writes
the whole checkpoint to FILE: keep it off the database (someone with access to the database can
also delete its checkpoints). --last exports the last checkpoint instead of taking a new one.`;

const CLI_ACTOR = (env: NodeJS.ProcessEnv): Actor => ({
  ...SYSTEM_ACTOR,
  id: 'system:cli',
  name: `cli:${env.USER ?? 'unknown'}`,
});

export const auditCommand: Command = {
  name: 'audit',
  summary: 'verify the audit trail; take or export a checkpoint (审计日志校验)',
  help: HELP,
  async run(argv, io) {
    const sub = argv[0];
    if (wantsHelp(argv) || (sub !== 'verify' && sub !== 'checkpoint')) {
      io.out(HELP);
      return sub === undefined || wantsHelp(argv) ? 0 : 2;
    }
    let values: { checkpoint?: string; export?: string; last?: boolean };
    try {
      values = parseArgs({
        args: argv.slice(1),
        options:
          sub === 'verify'
            ? { checkpoint: { type: 'string' } }
            : { export: { type: 'string' }, last: { type: 'boolean' } },
      }).values;
    } catch (e) {
      io.err((e as Error).message);
      io.err(HELP);
      return 2;
    }
    const file = sub === 'verify' ? values.checkpoint : undefined;
    const given =
      file === undefined ? undefined : parseCheckpoint(readFileSync(resolve(io.cwd, file), 'utf8'));
    const db = await openFromEnv(io.env);
    try {
      if (sub === 'checkpoint') {
        const cp = values.last
          ? await latestCheckpoint(db)
          : await takeCheckpoint(db, CLI_ACTOR(io.env));
        if (cp === null) {
          io.err('还没有检查点 / no checkpoint yet: run triguard audit checkpoint');
          return 1;
        }
        if (values.export !== undefined) {
          writeFileSync(resolve(io.cwd, values.export), JSON.stringify(cp) + '\n');
          io.err(`检查点已导出 / checkpoint ${cp.id} exported to ${values.export}`);
        }
        io.out(JSON.stringify(checkpointSummary(cp)));
        return 0;
      }
      const v = await verifyAudit(db, given === undefined ? {} : { checkpoint: given });
      for (const p of v.problems) {
        const where =
          p.trail === 'settlement'
            ? `settlement ${p.seq} (person ${p.certno ?? '?'}, year ${p.year ?? '?'}, place ${p.chainSeq})`
            : p.trail === 'registry'
              ? `${p.entity} ${p.entityId} (person ${p.certno ?? '?'}, audit entry ${p.seq})`
              : `entry ${p.seq}`;
        io.err(`${where}: ${p.kind}: ${p.detail}`);
      }
      io.out(JSON.stringify(v));
      io.err(
        v.ok
          ? `审计日志完整 / audit trail intact: ${v.entries} entries, ${v.rows} registry rows, head ${v.headHash}` +
              (v.checkpoint
                ? `, checkpoint ${v.checkpoint.id} (${v.checkpoint.source})`
                : ', no checkpoint')
          : `审计日志被篡改 / audit trail TAMPERED: ${v.problems.length} problem(s)`,
      );
      return v.ok ? 0 : 1;
    } finally {
      await db.close();
    }
  },
};
