import { CASE_STATUSES, CATEGORY_CODE_PATTERN, open311Status, type CaseStatus } from '@wangge/domain';
import { Open311Error } from './open311-error';
import { DAY_MS, parseDateTime } from '@wangge/clock';

/** `GET requests` answers at most this many records, newest first… */
export const MAX_REQUESTS = 1000;
/** …from a window of at most this many days (the last 90 days by default). */
export const MAX_WINDOW_DAYS = 90;
/** At most this many ids in one `service_request_id` list. */
export const MAX_REQUEST_IDS = 200;

const CASE_CODE = /^\d{6}-\d{8}-\d{6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The query parameters of `GET requests`, as they came (strings, or a list when repeated). */
export interface RequestsQuery {
  service_request_id?: unknown;
  service_code?: unknown;
  start_date?: unknown;
  end_date?: unknown;
  status?: unknown;
}

/** What to read: by ids (every other parameter ignored, as the specification says), or by filters in a window. */
export type RequestSearch =
  | { kind: 'ids'; codes: string[]; ids: string[] }
  | { kind: 'window'; from: Date; to: Date | null; serviceCodes: string[] | null; statuses: CaseStatus[] | null };

/** Whether a text can name a case: its code (`410104-20261129-000001`) or its id (UUID). */
export function isRequestId(value: string): boolean {
  return CASE_CODE.test(value) || UUID.test(value);
}

/** A comma-separated parameter (or one given several times) as its trimmed, non-empty items. */
function listOf(name: string, value: unknown): string[] | null {
  if (value === undefined) return null;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => {
    if (typeof v !== 'string') throw Open311Error.badRequest(`${name} must be a comma-separated list`);
    return v.split(',');
  });
  const items = parts.map((s) => s.trim()).filter((s) => s !== '');
  return items.length > 0 ? items : null;
}

function dateOf(name: string, value: unknown, timeZone: string): Date | null {
  if (value === undefined || value === '') return null;
  const d = typeof value === 'string' ? parseDateTime(value, timeZone) : null;
  if (!d) throw Open311Error.badRequest(`${name} must be a W3C date-time such as 2026-11-29T13:05:00+08:00`);
  return d;
}

/**
 * Reads the filters of `GET requests`: `service_request_id` (codes or ids, comma list),
 * `service_code` (comma list), `status` (open, closed), `start_date` and `end_date` (W3C; a window
 * of at most 90 days, the last 90 days by default). Bad values are refused naming the parameter.
 */
export function toRequestSearch(q: RequestsQuery, now: Date, timeZone: string): RequestSearch {
  const ids = listOf('service_request_id', q.service_request_id);
  if (ids) {
    if (ids.length > MAX_REQUEST_IDS) throw Open311Error.badRequest(`service_request_id lists at most ${MAX_REQUEST_IDS} ids`);
    const bad = ids.find((id) => !isRequestId(id));
    if (bad !== undefined) {
      throw Open311Error.badRequest(`service_request_id ${JSON.stringify(bad)} is not a request id (e.g. 410104-20261129-000001)`);
    }
    return { kind: 'ids', codes: ids.filter((id) => CASE_CODE.test(id)), ids: ids.filter((id) => UUID.test(id)) };
  }

  const problems: string[] = [];
  const serviceCodes = listOf('service_code', q.service_code);
  const badCode = serviceCodes?.find((c) => !CATEGORY_CODE_PATTERN.test(c));
  if (badCode !== undefined) problems.push(`service_code ${JSON.stringify(badCode)} is not a service code (e.g. E0102)`);

  const wanted = listOf('status', q.status);
  const badStatus = wanted?.find((s) => s !== 'open' && s !== 'closed');
  if (badStatus !== undefined) problems.push(`status must be open, closed or open,closed (got ${JSON.stringify(badStatus)})`);
  const statuses = wanted ? CASE_STATUSES.filter((s) => wanted.includes(open311Status(s))) : null;

  let start: Date | null = null;
  let end: Date | null = null;
  try {
    start = dateOf('start_date', q.start_date, timeZone);
  } catch (e) {
    problems.push((e as Error).message);
  }
  try {
    end = dateOf('end_date', q.end_date, timeZone);
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (start && end) {
    if (end < start) problems.push('end_date must not be before start_date');
    else if (end.getTime() - start.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
      problems.push(`start_date and end_date may not span more than ${MAX_WINDOW_DAYS} days`);
    }
  }
  if (problems.length > 0) throw Open311Error.badRequest(problems);

  const window = MAX_WINDOW_DAYS * DAY_MS;
  const from = start ?? new Date((end ?? now).getTime() - window);
  const to = end ?? (start ? new Date(start.getTime() + window) : null);
  return { kind: 'window', from, to, serviceCodes, statuses };
}
