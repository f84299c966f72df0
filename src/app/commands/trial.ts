/** `triguard trial --input FILE`: the policy trial calculation (docs/settlement.md §6). */
import { makeTrialCommand } from '../../settlement/trial-cli.ts';
import { policyPacks } from '../../settlement/trial-packs.ts';

export const trialCommand = makeTrialCommand(policyPacks);
