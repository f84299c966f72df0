/** One step of a clearing or statement explanation: what, how much, and the rule's section. */
export interface Step {
  code: string;
  amount: number;
  zh: string;
  en: string;
  ref: string;
}
