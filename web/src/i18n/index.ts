/**
 * vue-i18n with zh-CN first and en second. The chosen language is remembered in localStorage and
 * also switches Element Plus's own texts and zod's validation messages.
 */
import { computed, ref } from 'vue';
import { createI18n } from 'vue-i18n';
import { z } from 'zod';
import { zhCN } from './zh-CN.ts';
import { en } from './en.ts';
import { CARE_TEAMS } from './care-teams.ts';

export type Lang = 'zh-CN' | 'en';
const STORAGE_KEY = 'triguard.lang';

function initialLang(): Lang {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLang(),
  fallbackLocale: 'zh-CN',
  messages: {
    'zh-CN': { ...zhCN, careTeams: CARE_TEAMS.zh },
    en: { ...en, careTeams: CARE_TEAMS.en },
  },
});

/** The current language, reactive. */
export const lang = ref<Lang>(initialLang());

function applyZod(l: Lang) {
  z.config(l === 'en' ? z.locales.en() : z.locales.zhCN());
}
applyZod(lang.value);

export function setLang(l: Lang): void {
  lang.value = l;
  i18n.global.locale.value = l;
  applyZod(l);
  document.documentElement.lang = l;
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** Picks the current language's text of a `{zh, en}` pair (API messages, policy labels). */
export const pick = (m: { zh: string; en: string }): string => (lang.value === 'en' ? m.en : m.zh);

export const isEnglish = computed(() => lang.value === 'en');
