import type { Lang } from './i18n';

export interface Countdown {
  /** "2 天 3 小时" / "2d 3h"; for a passed deadline the time since it. */
  text: string;
  overdue: boolean;
  /** Less than an hour left. */
  urgent: boolean;
}

/** Time left until a deadline (or past it), in the two largest units. */
export function countdown(deadlineAt: string | null | undefined, now: number, lang: Lang): Countdown | null {
  if (!deadlineAt) return null;
  const deadline = Date.parse(deadlineAt);
  if (Number.isNaN(deadline)) return null;
  const diff = deadline - now;
  const overdue = diff < 0;
  const text = duration(Math.abs(diff), lang);
  if (overdue) return { text: lang === 'zh' ? `已超期 ${text}` : `overdue by ${text}`, overdue, urgent: true };
  return { text: lang === 'zh' ? `剩余 ${text}` : `${text} left`, overdue, urgent: diff < 3_600_000 };
}

/** A duration in its two largest units: 1d 2h, 3h 5m, 4m 10s, 12s. */
export function duration(ms: number, lang: Lang): string {
  const total = Math.floor(ms / 1000);
  const units: [number, string, string][] = [
    [Math.floor(total / 86_400), '天', 'd'],
    [Math.floor((total % 86_400) / 3600), '小时', 'h'],
    [Math.floor((total % 3600) / 60), '分', 'm'],
    [total % 60, '秒', 's'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  if (first === -1) return lang === 'zh' ? '0 秒' : '0s';
  return units
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, z, e]) => (lang === 'zh' ? `${n} ${z}` : `${n}${e}`))
    .join(' ');
}
