/**
 * Pinyin initials of a name for search (张伟 → zw), with surnames read as surnames (单 → s, 曾 →
 * z). Names repeat a great deal, so results are cached; the cache is bounded so a ten-million
 * person load cannot grow it without limit.
 */
import { pinyin } from 'pinyin-pro';

const MAX_CACHED = 200_000;
const cache = new Map<string, string>();

export function nameInitials(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const initials = pinyin(name, {
    pattern: 'first',
    toneType: 'none',
    surname: 'head',
    type: 'array',
    nonZh: 'removed',
  })
    .join('')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(name, initials);
  return initials;
}

/** Is the text pinyin initials (latin letters only), the way staff type them? */
export const looksLikeInitials = (text: string): boolean => /^[a-zA-Z]{1,20}$/.test(text);
