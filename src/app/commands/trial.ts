/** `triguard trial --input FILE`: the policy trial calculation (docs/settlement.md §6). */
import { makeTrialCommand, policyPacks } from '../../settlement/index.ts';

export const trialCommand = makeTrialCommand(policyPacks);
