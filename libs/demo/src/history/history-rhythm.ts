import { isoWeekday, localDate, startOfLocalDay, type HolidayCalendar } from '@wangge/clock';
import type { ReportSource } from '@wangge/domain';
import type { Random } from './random';

/**
 * How much is reported when, in a district like 管城: wardens on patrol in working hours on work days
 * (a weekend or holiday rota of about a third), citizens from early morning to late evening every
 * day, a few hotline calls (12345) in office hours. Pure.
 */
export interface Rhythm {
  /** Reports on an ordinary work day (Tuesday to Thursday). */
  perWorkDay: number;
}

export const DEFAULT_RHYTHM: Rhythm = { perWorkDay: 110 };

/** Shares of the reports by source on a work day. */
const SOURCE_SHARE: Record<Extract<ReportSource, 'warden' | 'citizen' | 'hotline'>, number> = { warden: 0.64, citizen: 0.27, hotline: 0.09 };
/** A weekend or holiday: the wardens' rota and a quieter hotline; citizens report as much or more. */
const OFF_DAY_FACTOR: Record<keyof typeof SOURCE_SHARE, number> = { warden: 0.3, citizen: 1.15, hotline: 0.5 };
/** Mondays catch up on the weekend, Fridays wind down. */
const WEEKDAY_FACTOR = [1.12, 1, 1, 1, 0.94, 1, 1];

/** Local hours (fractional) in which each source reports, with weights. */
const HOURS: Record<keyof typeof SOURCE_SHARE, readonly (readonly [number, number, number])[]> = {
  // Patrols: 08:30-11:45 and 14:30-17:45, a little in the early evening.
  warden: [[8.5, 11.75, 6], [14.5, 17.75, 5], [19, 20.5, 0.6]],
  citizen: [[7, 9, 1.2], [9, 12, 2.2], [12, 14.5, 1], [14.5, 18, 2], [18, 21.5, 2.4], [21.5, 23.5, 0.8]],
  hotline: [[8.5, 12, 3], [14, 18, 3], [18, 21, 1]],
};

export interface PlannedArrival {
  at: Date;
  source: keyof typeof SOURCE_SHARE;
}

/** The reports of one local day (`day`: YYYY-MM-DD), in time order. */
export function arrivalsOfDay(day: string, calendar: HolidayCalendar, offsetMinutes: number, rhythm: Rhythm, rng: Random): PlannedArrival[] {
  const dayIndex = Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
  const workDay = calendar.isWorkDay(day);
  const weekday = isoWeekday(dayIndex);
  const midnight = startOfLocalDay(dayIndex, offsetMinutes).getTime();
  const arrivals: PlannedArrival[] = [];
  for (const source of Object.keys(SOURCE_SHARE) as (keyof typeof SOURCE_SHARE)[]) {
    const mean = rhythm.perWorkDay * SOURCE_SHARE[source] * (workDay ? WEEKDAY_FACTOR[weekday - 1] : OFF_DAY_FACTOR[source]) * rng.between(0.85, 1.15);
    const n = Math.round(mean);
    for (let i = 0; i < n; i++) {
      const [from, to] = rng.weighted(HOURS[source], (h) => h[2]);
      arrivals.push({ at: new Date(midnight + rng.between(from, to) * 3_600_000), source });
    }
  }
  return arrivals.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The local days of the `days` days before `end`'s day (oldest first); `end`'s own day up to `end` included. */
export function historyDays(end: Date, days: number, offsetMinutes: number): string[] {
  const last = Math.round(Date.parse(`${localDate(end, offsetMinutes)}T00:00:00Z`) / 86_400_000);
  return Array.from({ length: days + 1 }, (_, i) => new Date((last - days + i) * 86_400_000).toISOString().slice(0, 10));
}

/**
 * The mix of categories a 城管 command centre sees (weights; categories not named here weigh 0.3):
 * trading outside shops (占道经营), exposed garbage, parked cars, small ads, vendors first.
 */
export const CATEGORY_WEIGHTS: Readonly<Record<string, number>> = {
  E0504: 14, // 店外经营 (占道经营)
  E0102: 12, // 暴露垃圾
  E0505: 10, // 机动车乱停放
  E0201: 9, // 非法小广告
  E0501: 7, // 无照经营游商
  E0104: 6, // 道路不洁
  E0103: 5, // 积存垃圾渣土
  E0507: 5, // 乱堆物堆料
  E0506: 5, // 非机动车乱停放
  C0305: 3, // 垃圾箱
  C0102: 3, // 污水井盖
  C0101: 2, // 上水井盖
  C0103: 2, // 雨水井盖
  C0104: 2, // 雨水箅子
  C0118: 2, // 路灯
  E0302: 3, // 工地扬尘
  E0304: 2, // 施工占道
  E0601: 3, // 道路破损
  E0602: 2, // 人行道板破损
  E0202: 2, // 违章张贴悬挂广告牌匾
  E0510: 2, // 露天烧烤
  E0116: 1, // 油烟污染
  E0101: 1, // 私搭乱建
};

/** Categories found beside roads rather than anywhere in a cell. */
export function isRoadside(code: string): boolean {
  return /^(E050[1-7]|E0104|E0201|E0304|E060[1-3]|C01|C02)/.test(code);
}
