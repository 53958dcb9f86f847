import { localDay, startOfLocalDay } from '@wangge/clock';

const HOUR_MS = 3_600_000;

export interface DemoShift {
  from: Date;
  to: Date;
  /** Demo logins on the shift. */
  people: string[];
}

export interface DemoInspectionPlan {
  /** The construction sites' plan: the 8个100% checklist (by its shipped name) every `every`, from `from`. */
  sites: { checklist: string; every: string; from: Date; maker: string };
  /** Each checkpoint's roster, by checkpoint name; made by `maker`. */
  rosters: { checkpoint: string; maker: string; shifts: DemoShift[] }[];
}

/** The checkpoints of the campaign plan (planDemoCampaign), who stands at them and who relieves them. */
const CHECKPOINTS = [
  { name: '通站路与南三环卡点', day: 'warden2', night: 'chief3' },
  { name: '通站路与文治路卡点', day: 'warden2', night: 'chief2' },
] as const;

/**
 * The demo's inspections and duty (issue 17 item 8), relative to `end` (now) in the district's zone:
 * the construction sites inspected under 8个100% every 4 hours from today's local midnight (so one is
 * due now, in warden1's "my inspections"), and each checkpoint a roster for today and tomorrow:
 * a shift that ended an hour ago unchecked (the dispatcher's timer marks it missed and escalates it),
 * one beginning in 30 minutes (warden2 may check in now), and then 12-hour shifts changing at local
 * 08:00 and 20:00 until the end of tomorrow, day shifts warden2's and night shifts a chief's.
 */
export function planDemoInspections(end: Date, utcOffsetMinutes: number): DemoInspectionPlan {
  const today = localDay(end, utcOffsetMinutes);
  const midnight = startOfLocalDay(today, utcOffsetMinutes);
  const dayAfterTomorrow = startOfLocalDay(today + 2, utcOffsetMinutes).getTime();
  const minute = Math.floor(end.getTime() / 60_000) * 60_000;
  return {
    sites: { checklist: '工地"8个100%"', every: 'PT4H', from: midnight, maker: 'leader' },
    rosters: CHECKPOINTS.map((c) => {
      const missed: DemoShift = { from: new Date(minute - 3 * HOUR_MS), to: new Date(minute - HOUR_MS), people: [c.night] };
      const soon = minute + HOUR_MS / 2;
      // The first change at local 08:00 or 20:00 at least 4 hours after the shift that begins soon.
      let change = midnight.getTime() + 8 * HOUR_MS;
      while (change < soon + 4 * HOUR_MS) change += 12 * HOUR_MS;
      const shifts: DemoShift[] = [missed, { from: new Date(soon), to: new Date(change), people: [c.day] }];
      for (let at = change; at < dayAfterTomorrow; at += 12 * HOUR_MS) {
        const isDay = (at - midnight.getTime()) % (24 * HOUR_MS) === 8 * HOUR_MS;
        shifts.push({ from: new Date(at), to: new Date(at + 12 * HOUR_MS), people: [isDay ? c.day : c.night] });
      }
      return { checkpoint: c.name, maker: 'leader', shifts };
    }),
  };
}
