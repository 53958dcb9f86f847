import { localDayOfDate } from '@wangge/clock';
import type { FieldProblem } from '@wangge/operations';

/** One entry of a year's calendar as an admin writes it: a weekday off, or a weekend day worked (调休). */
export interface CalendarEntry {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  nameEn: string;
}

export const MIN_CALENDAR_YEAR = 2000;
export const MAX_CALENDAR_YEAR = 2100;
/** More days than any year has off or worked in lieu: a body past this is not a calendar. */
export const MAX_CALENDAR_ENTRIES = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NO_HTML = /[<>]/;
const FIELDS = ['date', 'kind', 'name', 'nameEn'];

/**
 * Checks `PUT /admin/calendar/:year`'s body (an array of `{date, kind, name, nameEn?}`): real dates
 * of that year, each once, a known kind, a name (`nameEn` defaults to the name). Returns the clean
 * entries by date, or every problem, each naming its field (`[2].date`).
 */
export function checkCalendarYear(year: number, body: unknown): { entries: CalendarEntry[] } | { problems: FieldProblem[] } {
  if (!Number.isInteger(year) || year < MIN_CALENDAR_YEAR || year > MAX_CALENDAR_YEAR) {
    return { problems: [{ field: 'year', problem: `year must be a whole year from ${MIN_CALENDAR_YEAR} to ${MAX_CALENDAR_YEAR} / 年份无效` }] };
  }
  if (!Array.isArray(body)) return { problems: [{ field: 'body', problem: 'the body must be an array of {date, kind, name} / 请求体须为数组' }] };
  if (body.length > MAX_CALENDAR_ENTRIES) return { problems: [{ field: 'body', problem: `at most ${MAX_CALENDAR_ENTRIES} entries / 条目过多` }] };
  const problems: FieldProblem[] = [];
  const entries: CalendarEntry[] = [];
  const seen = new Map<string, number>();
  body.forEach((raw: unknown, i) => {
    const at = (field: string) => `[${i}].${field}`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ field: `[${i}]`, problem: 'each entry must be an object {date, kind, name} / 条目须为对象' });
      return;
    }
    const e = raw as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!FIELDS.includes(key)) problems.push({ field: at(key), problem: `${key} is not a field of a calendar entry / 不允许的字段` });
    }
    const date = e.date;
    if (typeof date !== 'string' || !DATE.test(date) || localDayOfDate(date) === null) {
      problems.push({ field: at('date'), problem: 'date must be a real date YYYY-MM-DD / 日期无效' });
    } else if (Number(date.slice(0, 4)) !== year) {
      problems.push({ field: at('date'), problem: `date ${date} is not in ${year} / 日期不在该年内` });
    } else if (seen.has(date)) {
      problems.push({ field: at('date'), problem: `date ${date} is listed twice (also [${seen.get(date)}]) / 日期重复` });
    } else {
      seen.set(date, i);
    }
    if (e.kind !== 'holiday' && e.kind !== 'workday') problems.push({ field: at('kind'), problem: 'kind must be holiday or workday / 类型须为 holiday 或 workday' });
    const name = typeof e.name === 'string' ? e.name.trim() : '';
    if (name.length < 1 || name.length > 50 || NO_HTML.test(name)) problems.push({ field: at('name'), problem: 'name must be 1-50 characters, no < or > / 名称须为 1-50 个字符' });
    const nameEn = e.nameEn === undefined ? name : typeof e.nameEn === 'string' ? e.nameEn.trim() : '';
    if (e.nameEn !== undefined && (nameEn.length < 1 || nameEn.length > 80 || NO_HTML.test(nameEn))) {
      problems.push({ field: at('nameEn'), problem: 'nameEn must be 1-80 characters, no < or > / 英文名称须为 1-80 个字符' });
    }
    entries.push({ date: date as string, kind: e.kind as CalendarEntry['kind'], name, nameEn });
  });
  if (problems.length > 0) return { problems };
  return { entries: entries.sort((a, b) => a.date.localeCompare(b.date)) };
}
