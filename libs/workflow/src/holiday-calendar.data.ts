/**
 * The public holiday calendar the work-hour clocks count by.
 *
 * 2026: the State Council General Office notice on the 2026 holiday arrangements (国务院办公厅关于
 * 2026年部分节假日安排的通知), with its make-up work days (调休上班).
 *
 * 2027: PROVISIONAL until the 2027 notice is published and checked. Only the statutory days
 * (全国年节及纪念日放假办法: 元旦 1, 春节 4 from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3)
 * with the weekend days between them, plus the weekday given in lieu (补休) for each statutory
 * day that falls on a weekend. The notice's longer breaks and their make-up days are not guessed.
 * Lunar dates: 除夕 2027-02-05, 端午 2027-06-09, 中秋 2027-09-15; 清明 2027-04-05.
 */

export interface HolidayPeriod {
  name: string;
  nameEn: string;
  /** First and last day off, inclusive (ISO dates). */
  from: string;
  to: string;
  /** 调休: weekend days worked to make up for the period. */
  workdays: string[];
}

export const HOLIDAY_PERIODS: Record<number, HolidayPeriod[]> = {
  2026: [
    { name: '元旦', nameEn: "New Year's Day", from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'] },
    { name: '春节', nameEn: 'Spring Festival', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'] },
    { name: '清明节', nameEn: 'Qingming Festival', from: '2026-04-04', to: '2026-04-06', workdays: [] },
    { name: '劳动节', nameEn: 'Labour Day', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'] },
    { name: '端午节', nameEn: 'Dragon Boat Festival', from: '2026-06-19', to: '2026-06-21', workdays: [] },
    { name: '中秋节', nameEn: 'Mid-Autumn Festival', from: '2026-09-25', to: '2026-09-27', workdays: [] },
    { name: '国庆节', nameEn: 'National Day', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'] },
  ],
  // Provisional (see above).
  2027: [
    { name: '元旦', nameEn: "New Year's Day", from: '2027-01-01', to: '2027-01-03', workdays: [] },
    { name: '春节', nameEn: 'Spring Festival', from: '2027-02-05', to: '2027-02-10', workdays: [] },
    { name: '清明节', nameEn: 'Qingming Festival', from: '2027-04-03', to: '2027-04-05', workdays: [] },
    { name: '劳动节', nameEn: 'Labour Day', from: '2027-05-01', to: '2027-05-04', workdays: [] },
    { name: '端午节', nameEn: 'Dragon Boat Festival', from: '2027-06-09', to: '2027-06-09', workdays: [] },
    { name: '中秋节', nameEn: 'Mid-Autumn Festival', from: '2027-09-15', to: '2027-09-15', workdays: [] },
    { name: '国庆节', nameEn: 'National Day', from: '2027-10-01', to: '2027-10-05', workdays: [] },
  ],
};

export interface HolidayRow {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  nameEn: string;
}

function addDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** One row per day: every day off of a period (weekends inside it included) and every make-up work day. */
export function holidayRows(periods: Record<number, HolidayPeriod[]> = HOLIDAY_PERIODS): HolidayRow[] {
  const rows: HolidayRow[] = [];
  for (const year of Object.keys(periods).sort()) {
    for (const p of periods[Number(year)]) {
      for (let date = p.from; date <= p.to; date = addDay(date)) {
        rows.push({ date, kind: 'holiday', name: p.name, nameEn: p.nameEn });
      }
      for (const date of p.workdays) {
        rows.push({ date, kind: 'workday', name: `${p.name}调休上班`, nameEn: `${p.nameEn} make-up work day` });
      }
    }
  }
  return rows.sort((a, b) => a.date.localeCompare(b.date));
}
