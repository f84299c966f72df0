import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import ReasonDialog, { type ReasonRequest } from './ReasonDialog.vue';
import { plugins } from '../test-support.ts';
import { ApiError } from '../api/client.ts';

type Dialog = { open(r: ReasonRequest): void; visible: boolean };

/** Element Plus shows a form item's error after a 100 ms debounce. */
const settle = async () => {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 150));
};

async function opened(req: Partial<ReasonRequest> = {}) {
  const w = mount(ReasonDialog, { global: { plugins: plugins() } });
  const submit = vi.fn(req.submit ?? (async () => undefined));
  (w.vm as unknown as Dialog).open({ title: '排除预警', ...req, submit });
  await nextTick();
  await nextTick();
  const type = (text: string) => w.find('textarea[data-test=reason-text]').setValue(text);
  const click = async () => {
    await w.find('[data-test=reason-confirm]').trigger('click');
    await settle();
  };
  return { w, submit, type, click, text: () => w.text() };
}

describe('reason dialog', () => {
  it('refuses to send without a reason and says so in Chinese', async () => {
    const d = await opened();
    expect(d.text()).toContain('排除预警');
    await d.click();
    expect(d.submit).not.toHaveBeenCalled();
    expect(d.text()).toContain('请填写原因');
    d.w.unmount();
  });

  it('sends the trimmed reason and closes', async () => {
    const d = await opened();
    await d.type('  家庭经济状况已核实，不属于风险对象  ');
    await d.click();
    expect(d.submit).toHaveBeenCalledWith('家庭经济状况已核实，不属于风险对象');
    expect((d.w.vm as unknown as Dialog).visible).toBe(false);
    d.w.unmount();
  });

  it('checks the extra fields first, and shows an API error while staying open', async () => {
    let extraOk = false;
    const d = await opened({
      validate: () => (extraOk ? null : '请至少选择一项救助措施'),
      submit: async () => {
        throw new ApiError(409, 'monitor.warning_state', 'status', {
          zh: '预警已被撤回',
          en: 'the warning was withdrawn',
        });
      },
    });
    await d.type('已纳入低保');
    await d.click();
    expect(d.submit).not.toHaveBeenCalled();
    expect(d.text()).toContain('请至少选择一项救助措施');

    extraOk = true;
    await d.click();
    expect(d.submit).toHaveBeenCalledOnce();
    expect(d.w.find('[data-test=reason-form-error]').text()).toContain('预警已被撤回');
    expect((d.w.vm as unknown as Dialog).visible).toBe(true);
    d.w.unmount();
  });

  it('shows an API error about the reason next to the reason field', async () => {
    const d = await opened({
      submit: async () => {
        throw new ApiError(400, 'reconcile.comment_required', 'comment', {
          zh: '请填写说明',
          en: 'a comment is required',
        });
      },
    });
    await d.type('x');
    await d.click();
    const item = d.w.findAll('.el-form-item').at(-1)!;
    expect(item.find('.el-form-item__error').text()).toBe('请填写说明');
    d.w.unmount();
  });
});
