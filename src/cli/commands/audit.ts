import { openFromEnv } from '../../db/open.ts';
import { verifyAudit } from '../../auth/audit.ts';
import type { Command } from '../command.ts';
import { wantsHelp } from '../command.ts';

const HELP = `triguard audit verify

Walks the audit log's hash chain (审计日志校验): every entry must follow the one before it, link
to its hash and hash to what it holds, and the last must be the recorded chain head. Prints a
JSON summary with the head hash (keep it elsewhere: a later run that ends on a different hash
for the same entry means the chain was rewritten). Exit code 0 when intact, 1 when not; each
problem is listed on stderr.`;

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
      for (const p of v.problems) io.err(`entry ${p.seq}: ${p.kind}: ${p.detail}`);
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
