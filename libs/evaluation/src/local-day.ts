const DAY_MS = 86_400_000;

/**
 * The local date (YYYY-MM-DD) whose midnight `at` is, at a UTC offset of `offsetMs`; null when `at`
 * is not a local midnight there. The daily rollups answer only periods between two such midnights.
 */
export function localDay(at: Date, offsetMs: number): string | null {
  const local = at.getTime() + offsetMs;
  if (((local % DAY_MS) + DAY_MS) % DAY_MS !== 0) return null;
  return new Date(local).toISOString().slice(0, 10);
}
