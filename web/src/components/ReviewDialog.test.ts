import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import ReviewDialog from './ReviewDialog.vue';
import { plugins } from '../test-support.ts';
import type { ApplicationView } from '../api/types.ts';

type Dialog = { open(a: ApplicationView): void; visible: boolean };

const APP: ApplicationView = {
  id: 17,
  certno: '370899199001010011',
  name: '张三',
  regionCode: '370899001',
  channel: 'doctor',
  fixmedinsCode: null,
  status: 'under_review',
  acceptedOn: '2024-03-01',
  documentsDue: null,
  onsite: false,
  reviewSteps: 1,
  note: null,
  createdBy: '家庭医生',
  createdAt: '2024-03-01T02:00:00Z',
  diseases: [
    {
      disease: 'M002',
      name: { zh: '糖尿病（合并并发症）', en: 'diabetes' },
      diagnosis: 'E11.9',
      decision: 'pending',
      step: 0,
      reason: null,
      reasonNote: null,
      decidedBy: null,
      decidedAt: null,
    },
    {
      disease: 'M003',
      name: { zh: '冠心病', en: 'coronary heart disease' },
      diagnosis: 'I25.1',
      decision: 'pending',
      step: 0,
      reason: null,
      reasonNote: null,
      decidedBy: null,
      decidedAt: null,
    },
  ],
  documents: [],
  missingDocuments: [],
  certificateNo: null,
};

/** Element Plus shows a form item's error after a 100 ms debounce. */
const settle = async () => {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 150));
};

function answer(status: number, body: unknown) {
  return vi.fn(
    async () =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
  );
}

async function opened() {
  const w = mount(ReviewDialog, { global: { plugins: plugins() }, attachTo: document.body });
  (w.vm as unknown as Dialog).open(APP);
  await nextTick();
  await nextTick();
  const row = (code: string) => document.querySelector(`[data-review-disease=${code}]`)!;
  const choose = async (code: string, decision: 'approved' | 'refused') => {
    (row(code).querySelector(`[data-decision=${decision}] input`) as HTMLInputElement).click();
    await settle();
  };
  const confirm = async () => {
    (document.querySelector('[data-test=review-confirm]') as HTMLButtonElement).click();
    await settle();
  };
  return { w, row, choose, confirm, text: () => document.body.textContent ?? '' };
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('expert review dialog', () => {
  it('lists each pending disease and asks for a decision before sending', async () => {
    const fetch = answer(200, APP);
    vi.stubGlobal('fetch', fetch);
    const d = await opened();
    expect(d.text()).toContain('评审 · 张三（申请 17）');
    expect(d.text()).toContain('M002 糖尿病（合并并发症）');
    expect(d.text()).toContain('M003 冠心病');
    await d.confirm();
    expect(fetch).not.toHaveBeenCalled();
    expect(d.text()).toContain('请对每个病种作出结论');
    d.w.unmount();
  });

  it('stops a refusal without a reason, then sends per-disease decisions', async () => {
    const decided = { ...APP, status: 'decided' };
    const fetch = answer(200, decided);
    vi.stubGlobal('fetch', fetch);
    const d = await opened();
    await d.choose('M002', 'approved');
    await d.choose('M003', 'refused');
    await d.confirm();
    expect(fetch).not.toHaveBeenCalled();
    expect(d.row('M003').textContent).toContain('请选择不通过原因');

    // Pick the reason from the select's options (teleported to the body).
    (d.row('M003').querySelector('.el-select__wrapper') as HTMLElement).click();
    await settle();
    (document.querySelector('[data-reason=not_meeting_criteria]') as HTMLElement).click();
    await settle();
    const note = d.row('M003').querySelector('textarea') as HTMLTextAreaElement;
    note.value = '  未见靶器官损害证据  ';
    note.dispatchEvent(new Event('input'));
    await d.confirm();

    expect(fetch).toHaveBeenCalledOnce();
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/chronic/applications/17/decisions');
    expect(JSON.parse(String(init.body))).toEqual({
      decisions: [
        { disease: 'M002', decision: 'approved' },
        {
          disease: 'M003',
          decision: 'refused',
          reason: 'not_meeting_criteria',
          note: '未见靶器官损害证据',
        },
      ],
    });
    expect(d.w.emitted('decided')?.[0]).toEqual([decided]);
    expect((d.w.vm as unknown as Dialog).visible).toBe(false);
    d.w.unmount();
  });

  it('keeps the dialog open with the API’s refusal shown', async () => {
    vi.stubGlobal(
      'fetch',
      answer(409, {
        code: 'chronic.not_under_review',
        field: null,
        message: { zh: '该申请不在评审中', en: 'the application is not under review' },
      }),
    );
    const d = await opened();
    await d.choose('M002', 'approved');
    await d.confirm();
    expect(document.querySelector('[data-test=review-form-error]')?.textContent).toContain(
      '该申请不在评审中',
    );
    expect((d.w.vm as unknown as Dialog).visible).toBe(true);
    d.w.unmount();
  });
});
