const two = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as `YYYY-MM-DD HH:mm` on the device's clock (the district's own on its staff's devices, as
 * every other time the console shows, and as the time inputs read what is typed).
 */
export function localMinute(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** An instant as a `datetime-local` input's value (`YYYY-MM-DDTHH:mm`, the device's clock). */
export function localInputValue(at: Date | string): string {
  return localMinute(typeof at === 'string' ? at : at.toISOString()).replace(' ', 'T');
}
