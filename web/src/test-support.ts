/** Mounting helpers for component tests: Element Plus, vue-i18n (zh-CN) and a memory router. */
import ElementPlus from 'element-plus';
import { createMemoryHistory, createRouter } from 'vue-router';
import { i18n, setLang } from './i18n/index.ts';

export function plugins() {
  setLang('zh-CN');
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { template: '<div />' } }],
  });
  return [ElementPlus, i18n, router];
}
