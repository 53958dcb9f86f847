import { MINUTE_MS } from './local-time';

/**
 * Time zones at the edges: the district's zone (TIME_ZONE, an IANA name) read as a UTC offset,
 * an offset written as text, and the one parser of dates and date-times that requests carry.
 */

/** The UTC offset of an IANA zone at an instant, in minutes (e.g. Asia/Shanghai → 480). */
export function utcOffsetMinutes(timeZone: string, at: Date = new Date()): number {
  const parts = offsetFormatOf(timeZone).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** A UTC offset in minutes as ISO-8601 text: 480 → '+08:00', -330 → '-05:30', 0 → '+00:00'. */
export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** An instant as local date-time text with its offset and whole seconds: `2026-11-29T13:05:00+08:00`. */
export function formatLocalDateTime(instant: Date, timeZone: string): string {
  const offset = utcOffsetMinutes(timeZone, instant);
  const local = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offset * MINUTE_MS);
  return `${local.toISOString().slice(0, 19)}${formatUtcOffset(offset)}`;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses an ISO-8601 / W3C date or date-time (`2026-11-29`, `2026-11-29T13:05`,
 * `2026-11-29T13:05:00+08:00`, `…Z`). Without an offset it is local time in `zone` (a fixed offset
 * in minutes, or an IANA zone name read at that wall time); a date alone is the start of that local
 * day. A `+` that a client left unencoded in a query string arrives as a space and is read as `+`.
 * Returns null when the text is not such a date or names a day or time that does not exist
 * (2026-02-30, 24:00, an offset beyond ±14:00).
 */
export function parseDateTime(text: string, zone: number | string): Date | null {
  const value = text.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', suffix] = m;
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  const wallMs = Date.UTC(...fields) + Number(`0.${frac || '0'}`) * 1000;
  const check = new Date(Date.UTC(...fields));
  if (
    check.getUTCFullYear() !== fields[0] ||
    check.getUTCMonth() !== fields[1] ||
    check.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  ) {
    return null;
  }
  let offset: number;
  if (suffix === 'Z') offset = 0;
  else if (suffix) {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(suffix);
    if (!z) return null;
    offset = (Number(z[2]) * 60 + Number(z[3])) * (z[1] === '-' ? -1 : 1);
    if (Math.abs(offset) > 14 * 60) return null;
  } else if (typeof zone === 'number') {
    offset = zone;
  } else {
    // The zone's offset at that wall time (first guess at the wall time read as UTC, then refined).
    const guess = utcOffsetMinutes(zone, new Date(wallMs));
    offset = utcOffsetMinutes(zone, new Date(wallMs - guess * MINUTE_MS));
  }
  return new Date(wallMs - offset * MINUTE_MS);
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than formatting with it (~0.8 ms each in the notifier's profile). */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
function offsetFormatOf(timeZone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  return format;
}
