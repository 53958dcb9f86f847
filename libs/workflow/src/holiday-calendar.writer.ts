import type { EntityManager } from 'typeorm';
import { holidayRows } from './holiday-calendar.data';

/**
 * Writes the standard holiday calendar (holiday-calendar.data.ts) into an empty `holiday` table,
 * inside the caller's transaction: the one writer of `npm run setup` and the demo seed. Returns the
 * number of days written.
 */
export async function writeHolidayCalendar(tx: EntityManager): Promise<number> {
  const rows = holidayRows();
  await tx.query(`INSERT INTO holiday (date, kind, name, name_en) SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[])`, [
    rows.map((r) => r.date),
    rows.map((r) => r.kind),
    rows.map((r) => r.name),
    rows.map((r) => r.nameEn),
  ]);
  return rows.length;
}
