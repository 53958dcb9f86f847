import { utcOffsetMinutes } from '@wangge/workflow';

const MINUTE_MS = 60_000;

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * An instant as a W3C date-time in the district's time zone, with its offset and whole seconds,
 * e.g. `2026-11-29T13:05:00+08:00` (GeoReport v2 datetimes).
 */
export function w3cDateTime(instant: Date, timeZone: string): string {
  const offset = utcOffsetMinutes(timeZone, instant);
  const local = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offset * MINUTE_MS);
  return `${local.toISOString().slice(0, 19)}${offsetText(offset)}`;
}

const W3C = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses a W3C date or date-time (`2026-11-29`, `2026-11-29T13:05:00+08:00`, `…Z`). Without an
 * offset it is the district's local time; a date alone is the start of that local day. A `+`
 * that a client left unencoded in a query string arrives as a space and is read as `+`.
 * Returns null when the text is not such a date or names a day that does not exist.
 */
export function parseW3cDateTime(text: string, timeZone: string): Date | null {
  const value = text.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const m = W3C.exec(value);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
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
  if (zone === 'Z') offset = 0;
  else if (zone) {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offset = (Number(z[2]) * 60 + Number(z[3])) * (z[1] === '-' ? -1 : 1);
    if (Math.abs(offset) > 14 * 60) return null;
  } else {
    // The zone's offset at that wall time (first guess at the wall time read as UTC, then refined).
    const guess = utcOffsetMinutes(timeZone, new Date(wallMs));
    offset = utcOffsetMinutes(timeZone, new Date(wallMs - guess * MINUTE_MS));
  }
  return new Date(wallMs - offset * MINUTE_MS);
}
