import { ApiError } from '@wangge/operations';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * One bound of an evaluation period. A local date (YYYY-MM-DD) is read in the district's time zone:
 * as `from` its 00:00, as `to` the 00:00 after it (the day is included). A date-time is taken as the
 * instant it names (`to` exclusive); one without a zone is local time. A date that does not exist
 * (2026-02-30) is refused naming the field.
 */
export function periodBound(value: string, field: 'from' | 'to', offsetMinutes: number): Date {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const bad = () => ApiError.badInput([{ field, problem: `${field} is not a valid date / 日期无效` }]);
  const day = value.slice(0, 10);
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) throw bad();
  // The calendar date must exist (Date would roll 02-30 over to 03-02).
  const check = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (check.getUTCFullYear() !== Number(m[1]) || check.getUTCMonth() !== Number(m[2]) - 1 || check.getUTCDate() !== Number(m[3])) throw bad();
  if (DATE_ONLY.test(value)) {
    const start = new Date(`${value}T00:00:00${zone}`);
    if (Number.isNaN(start.getTime())) throw bad();
    return field === 'to' ? new Date(start.getTime() + 86_400_000) : start;
  }
  const d = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}${zone}`);
  if (Number.isNaN(d.getTime())) throw bad();
  return d;
}
