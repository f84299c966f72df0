import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import BillEditor from './BillEditor.vue';
import { plugins } from '../test-support.ts';
import {
  billBody,
  newBill,
  parsePastedLines,
  validateBill,
  type BillForm,
} from '../settlement/bill-form.ts';
import { setLang } from '../i18n/index.ts';

const bill = (patch: Partial<BillForm> = {}): BillForm => ({
  ...newBill('2022-06-15'),
  diagnosis: 'I63.9',
  lines: [{ amount: '20000', class: 'A', overLimit: '', selfPayPct: '' }],
  ...patch,
});

describe('bill-line editor validation', () => {
  it('accepts a bill the API accepts', () => {
    expect(validateBill(bill())).toEqual({});
  });

  it('leaves the level to the registered institution when settling', () => {
    expect(billBody(bill(), { level: false })).not.toHaveProperty('hospitalLevel');
    expect(billBody(bill()).hospitalLevel).toBe(2);
  });

  it('marks every bad cell with the API rule message, in Chinese', () => {
    const errors = validateBill(
      bill({
        diagnosis: '',
        lines: [
          { amount: '12.345', class: '', overLimit: '', selfPayPct: '' },
          { amount: '100', class: 'B', overLimit: '150', selfPayPct: '' },
          { amount: '100', class: 'C', overLimit: '', selfPayPct: '120' },
        ],
      }),
    );
    expect(Object.keys(errors).sort()).toEqual([
      'diagnosis',
      'lines[0].amount',
      'lines[0].class',
      'lines[1].overLimit',
      'lines[2].selfPayRatio',
    ]);
    expect(errors['lines[0].amount']!.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(errors['lines[1].overLimit']!.zh).toContain('超限价金额不能大于明细金额');
  });

  it('shows the message next to the field and clears it when fixed', async () => {
    const model = bill({ lines: [{ amount: 'abc', class: 'A', overLimit: '', selfPayPct: '' }] });
    const w = mount(BillEditor, {
      props: { modelValue: model, 'onUpdate:modelValue': () => undefined },
      global: { plugins: plugins() },
    });
    const editor = w.vm as unknown as { validate(): boolean };
    expect(editor.validate()).toBe(false);
    await nextTick();
    const cell = w.find('[data-line="0"]');
    const error = cell.find('[data-error="lines[0].amount"]');
    expect(error.exists()).toBe(true);
    expect(error.text()).toMatch(/[\u4e00-\u9fff]/);

    model.lines[0]!.amount = '1,234.50';
    expect(editor.validate()).toBe(true);
    await nextTick();
    expect(w.find('[data-error="lines[0].amount"]').exists()).toBe(false);
  });

  it('speaks English after the language switch', () => {
    setLang('en');
    try {
      const errors = validateBill(
        bill({ lines: [{ amount: '1', class: '', overLimit: '', selfPayPct: '' }] }),
      );
      expect(errors['lines[0].class']!.en).toMatch(/[a-z]/);
      expect(errors['lines[0].class']!.en).not.toMatch(/[\u4e00-\u9fff]/);
    } finally {
      setLang('zh-CN');
    }
  });

  it('reads lines pasted from a spreadsheet', () => {
    const { lines, bad } = parsePastedLines('20000\tA\n6,000.50\t乙\t0\t10\n3000 丙\nhello\n');
    expect(lines).toEqual([
      { amount: '20000', class: 'A', overLimit: '', selfPayPct: '' },
      { amount: '6,000.50', class: 'B', overLimit: '0', selfPayPct: '10' },
      { amount: '3000', class: 'C', overLimit: '', selfPayPct: '' },
    ]);
    expect(bad).toEqual([4]);
  });
});
