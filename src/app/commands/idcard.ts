import { checkId } from '../../kernel/idcard.ts';
import type { Command } from '../../cli/command.ts';
import { wantsHelp } from '../../cli/command.ts';

const HELP = `triguard idcard check NUMBER...

Checks resident ID numbers (GB 11643-1999) and prints one JSON object per number:
  {input, valid, normalized, birthDate, gender, regionCode, error}
15-digit numbers are upgraded to 18 digits; a lower-case x is accepted.
Exit code 0 when every number is valid, 1 otherwise.`;

export const idcardCommand: Command = {
  name: 'idcard',
  summary: 'check and normalise resident ID numbers (身份证号校验)',
  help: HELP,
  async run(argv, io) {
    const [sub, ...numbers] = argv;
    if (wantsHelp(argv) || sub !== 'check' || numbers.length === 0) {
      (wantsHelp(argv) ? io.out : io.err)(HELP);
      return wantsHelp(argv) ? 0 : 2;
    }
    let allValid = true;
    for (const n of numbers) {
      const r = checkId(n);
      allValid &&= r.valid;
      io.out(JSON.stringify(r));
    }
    return allValid ? 0 : 1;
  },
};
