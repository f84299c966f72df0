import { openFromEnv } from '../../db/open.ts';
import { verifyAudit } from '../../auth/audit-verify.ts';
import type { Command } from '../command.ts';
import { wantsHelp } from '../command.ts';

const HELP = `triguard audit verify

Walks the audit trail's hash chains (审计日志校验): the audit log's, and each person's chain of
settlements for a medical year (a settlement row is its own audit entry, its chain's head is the
person's accumulator row). Every entry must follow the one before it, link to its hash and hash
to what it holds, and the last must be the recorded chain head. Prints a JSON summary with one
hash over all heads (keep it elsewhere: a later run that ends on a different hash for the same
entries means a chain was rewritten). Exit code 0 when intact, 1 when not; each problem is
listed on stderr (a settlement chain's problem names the settlement id).`;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'verify the audit log hash chain (审计日志校验)',
  help: HELP,
  async run(argv, io) {
    if (wantsHelp(argv) || argv[0] !== 'verify') {
      io.out(HELP);
      return argv[0] === undefined || wantsHelp(argv) ? 0 : 2;
    }
    const db = await openFromEnv(io.env);
    try {
      const v = await verifyAudit(db);
      for (const p of v.problems) {
        io.err(
          `${p.trail === 'settlement' ? 'settlement' : 'entry'} ${p.seq}: ${p.kind}: ${p.detail}`,
        );
      }
      io.out(JSON.stringify(v));
      io.err(
        v.ok
          ? `审计日志完整 / audit log intact: ${v.entries} entries, head ${v.headHash}`
          : `审计日志被篡改 / audit log TAMPERED: ${v.problems.length} problem(s)`,
      );
      return v.ok ? 0 : 1;
    } finally {
      await db.close();
    }
  },
};
