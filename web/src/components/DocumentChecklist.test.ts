import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import DocumentChecklist from './DocumentChecklist.vue';
import { plugins } from '../test-support.ts';
import type { ChecklistDocument } from '../api/types.ts';

const CHECKLIST: ChecklistDocument[] = [
  { kind: 'medical_record', required: true, name: { zh: '病历资料', en: 'medical records' } },
  { kind: 'test_result', required: true, name: { zh: '检查检验报告', en: 'test results' } },
  { kind: 'health_check', required: false, name: { zh: '健康体检', en: 'health check' } },
];

function mountChecklist(props: Record<string, unknown> = {}) {
  return mount(DocumentChecklist, {
    props: { documents: CHECKLIST, modelValue: {}, ...props },
    global: { plugins: plugins() },
  });
}

async function choose(w: ReturnType<typeof mountChecklist>, kind: string, file: File) {
  const input = w.find(`input[data-doc-input=${kind}]`);
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
  await flushPromises();
}

describe('document checklist', () => {
  it('marks the required documents missing until a file is chosen for each', async () => {
    const w = mountChecklist();
    expect(w.find('[data-test=docs-missing]').text()).toBe('缺少：病历资料、检查检验报告');
    await choose(
      w,
      'medical_record',
      new File(['%PDF'], '门诊病历.pdf', { type: 'application/pdf' }),
    );
    const model = w.emitted('update:modelValue')!.at(-1)![0] as Record<string, File>;
    expect(model.medical_record?.name).toBe('门诊病历.pdf');
    await w.setProps({ modelValue: model });
    expect(w.find('[data-doc=medical_record] [data-test=doc-chosen]').text()).toContain(
      '门诊病历.pdf',
    );
    expect(w.find('[data-test=docs-missing]').text()).toBe('缺少：检查检验报告');
    await w.setProps({
      modelValue: { ...model, test_result: new File(['x'], 'hba1c.png', { type: 'image/png' }) },
    });
    expect(w.find('[data-test=docs-complete]').text()).toBe('材料齐全');
  });

  it('refuses a file that is not PDF, JPEG or PNG, in Chinese, and keeps it out', async () => {
    const w = mountChecklist();
    await choose(w, 'test_result', new File(['GIF89a'], 'scan.gif', { type: 'image/gif' }));
    expect(w.find('[data-doc=test_result] [data-test=doc-error]').text()).toBe(
      '仅接受 PDF、JPEG 或 PNG 文件',
    );
    expect(w.emitted('update:modelValue')).toBeUndefined();
  });

  it('lists the files already uploaded as links and counts them as supplied', () => {
    const w = mountChecklist({
      uploaded: [
        {
          id: 9,
          kind: 'test_result',
          fileName: '糖化血红蛋白.pdf',
          mediaType: 'application/pdf',
          sizeBytes: 204_800,
          uploadedAt: '2024-03-01T02:00:00Z',
        },
      ],
      editable: false,
    });
    const link = w.find('[data-doc=test_result] [data-test=doc-uploaded] a');
    expect(link.attributes('href')).toBe('/api/v1/chronic/attachments/9');
    expect(link.text()).toBe('糖化血红蛋白.pdf');
    expect(w.find('[data-test=docs-missing]').text()).toBe('缺少：病历资料');
    expect(w.find('input[type=file]').exists()).toBe(false);
  });
});
