// Periods of the leaders' pages: local dates (the browser's zone: the district's for its staff).

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of a Date in the browser's zone. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The local date `days` before today. */
export function dateBefore(days: number, now: number = Date.now()): string {
  return localDate(new Date(now - days * DAY_MS));
}

/** Days between two local dates, both included (2026-12-01..2026-12-07 is 7). */
export function daysIn(from: string, to: string): number {
  return Math.round((Date.UTC(...ymd(to)) - Date.UTC(...ymd(from))) / DAY_MS) + 1;
}

/** The period of the same length that ends the day before `from` (what "change since the previous period" compares with). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const n = daysIn(from, to);
  const start = Date.UTC(...ymd(from));
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: iso(start - n * DAY_MS), to: iso(start - DAY_MS) };
}

function ymd(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m - 1, d];
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

export function fixed(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined ? '—' : n.toFixed(digits);
}
