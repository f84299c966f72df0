/**
 * The `triguard trial` command, built around a pack source so tests can run it without packs.
 * stdout holds only the JSON answer; a bad input prints `{code, field, message: {zh, en}}` on
 * stderr and exits 1 (2 for a wrong command line).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from '../cli/args.ts';
import { wantsHelp, type CliIo, type Command } from '../cli/command.ts';
import { invalid, isTriguardError } from '../kernel/errors.ts';
import { answerTrial, type PackSource } from './trial.ts';

const HELP = `triguard trial --input FILE

Policy trial calculation (政策试算, docs/settlement.md §6). Reads one JSON document
  {"pack": "demo-2022",
   "person": {"categories": [{"code": "subsistence", "from": "2022-01", "to": null}]},
   "bills": [{"id": "b1", "date": "2022-03-15", "visitType": "inpatient",
              "hospitalLevel": 2, "diagnosis": "K35.8", "remote": null,
              "lines": [{"amount": 12000, "class": "A"}, {"amount": 3000, "class": "B"}]}]}
from FILE (- for stdin), settles the bills in order under the named pack and prints only
  {"results": [{"id", "medfee_sumamt", …, "psn_cash_pay", "explain": [...]}]}
Amounts are yuan; a line's overLimit is yuan, its selfPayRatio a fraction (0.1 = 10 %),
its optional days the days a prescription covers.
The person may carry "certificates" (门诊慢特病证: [{"disease": "M002", "from": "2022-03-01",
"to": null}]) and "filings" (两病备案: [{"disease": "hypertension" | "diabetes", ...}]); a list
left out is not checked. A chronic or two-diseases bill the rules refuse (docs/chronic.md §3) is
answered {"id", "refused": {"code", "field", "message": {"zh", "en"}}} and settles nothing.
Exit code 0 on success (refused bills included), 1 when the input breaks a rule (the error names the field), 2 on
a wrong command line.`;

export function makeTrialCommand(packs: PackSource): Command {
  return {
    name: 'trial',
    summary: 'policy trial calculation of bills (政策试算)',
    help: HELP,
    async run(argv, io) {
      if (wantsHelp(argv)) {
        io.out(HELP);
        return 0;
      }
      try {
        const { values } = parse(argv, { input: { type: 'string' } });
        if (values.input === undefined) {
          throw invalid(
            'cli.missing_input',
            'input',
            '缺少 --input FILE（- 表示标准输入）',
            'missing --input FILE (- for stdin)',
          );
        }
        const doc = parseJson(await readInput(values.input, io));
        io.out(JSON.stringify(await answerTrial(doc, packs), null, 2));
        return 0;
      } catch (e) {
        if (!isTriguardError(e)) throw e;
        io.err(JSON.stringify(e.toJSON()));
        return e.code.startsWith('cli.') ? 2 : 1;
      }
    },
  };
}

async function readInput(input: string, io: CliIo): Promise<string> {
  if (input === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(resolve(io.cwd, input), 'utf8');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw invalid(
      'trial.input_unreadable',
      'input',
      `无法读取输入文件 ${input}：${why}`,
      `cannot read ${input}: ${why}`,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw invalid(
      'trial.bad_json',
      'input',
      `输入不是有效的 JSON：${why}`,
      `the input is not valid JSON: ${why}`,
    );
  }
}
