/**
 * How names are presented: Chinese and English together (`暴露垃圾 / Exposed garbage`, the
 * default, one consistent form for clients that show whatever they get), or one language when a
 * client asks with `?locale=zh` or `?locale=en` (also `zh-CN`, `en_US`…).
 */
export type GeoReportLocale = 'zh' | 'en' | 'both';

export function localeOf(value: unknown): GeoReportLocale {
  if (typeof value !== 'string') return 'both';
  const lang = value.trim().toLowerCase().slice(0, 2);
  return lang === 'zh' || lang === 'en' ? lang : 'both';
}

export function bilingual(zh: string, en: string, locale: GeoReportLocale): string {
  if (locale === 'zh') return zh;
  if (locale === 'en') return en;
  return zh === en ? zh : `${zh} / ${en}`;
}
