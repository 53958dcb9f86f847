// Words of the admin pages, kept beside them: each section defines its own pairs with `words`.
import { getLang, type Lang } from '../../i18n';

export type Words<K extends string> = (key: K, lang?: Lang) => string;

/** A section's own dictionary: `const w = words({ title: ['人员', 'People'] }); w('title')`. */
export function words<K extends string>(pairs: Record<K, readonly [zh: string, en: string]>): Words<K> {
  return (key, lang = getLang()) => pairs[key][lang === 'zh' ? 0 : 1];
}
