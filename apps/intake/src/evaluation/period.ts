import { DAY_MS, parseDateTime } from '@wangge/clock';
import { ApiError } from '@wangge/operations';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One bound of an evaluation period. A local date (YYYY-MM-DD) is read in the district's time zone:
 * as `from` its 00:00, as `to` the 00:00 after it (the day is included). A date-time is taken as the
 * instant it names (`to` exclusive); one without a zone is local time. A date that does not exist
 * (2026-02-30) is refused naming the field.
 */
export function periodBound(value: string, field: 'from' | 'to', offsetMinutes: number): Date {
  const d = parseDateTime(value, offsetMinutes);
  if (!d) throw ApiError.badInput([{ field, problem: `${field} is not a valid date / 日期无效` }]);
  return field === 'to' && DATE_ONLY.test(value.trim()) ? new Date(d.getTime() + DAY_MS) : d;
}
