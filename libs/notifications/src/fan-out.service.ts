import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, endOfDailyWindow, utcOffsetMinutes, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { OutboxRelay, addJobs } from '@wangge/workflow';
import { deliverJob } from './delivery.service';
import type { DeliveryKind } from './notification-event';
import { NOTIFICATION_EVENTS } from './notification-event';

interface Destination {
  kind: DeliveryKind;
  target: string;
  channelId: string | null;
  userId: string | null;
  notBefore: Date;
}

interface PreferenceRow {
  user_id: string;
  events: string[];
  email: string | null;
  quiet_from: string | null;
  quiet_to: string | null;
}

/**
 * Turns a raised notification into its deliveries: every enabled channel that takes its event (the
 * street's channels and the district-wide ones), and each recipient's inbox and email as their
 * preferences say (every event by default; email only to an address they gave, held by their quiet
 * hours until those end, district local time). One transaction writes the rows (a destination
 * once: a repeated fan-out adds nothing) and queues the sends through the outbox.
 */
@Injectable()
export class NotificationFanOut {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Writes and queues the deliveries; returns how many were new. */
  async fanOut(notificationId: string): Promise<number> {
    const now = this.clock.now();
    const made = await this.db.transaction(async (m) => {
      const [n]: { event: string; street_code: string | null; recipients: string[] }[] = await m.query(
        `SELECT event, street_code, recipients FROM notification WHERE id = $1`,
        [notificationId],
      );
      if (!n) return 0;
      const destinations: Destination[] = [];
      const channels: { id: string; kind: DeliveryKind; target: string }[] = await m.query(
        `SELECT id, kind, target FROM notification_channel
          WHERE enabled AND $1 = ANY(events) AND (street_code IS NULL OR street_code = $2) ORDER BY created_at, id`,
        [n.event, n.street_code],
      );
      for (const c of channels) destinations.push({ kind: c.kind, target: c.target, channelId: c.id, userId: null, notBefore: now });
      if (n.recipients.length > 0) {
        const prefs: PreferenceRow[] = await m.query(
          `SELECT user_id, events, email, quiet_from, quiet_to FROM notification_preference WHERE user_id = ANY($1::uuid[])`,
          [n.recipients],
        );
        const byUser = new Map(prefs.map((p) => [p.user_id, p]));
        const offset = utcOffsetMinutes(this.config.timeZone, now);
        for (const userId of n.recipients) {
          const pref = byUser.get(userId);
          const events: readonly string[] = pref?.events ?? NOTIFICATION_EVENTS;
          if (!events.includes(n.event)) continue;
          destinations.push({ kind: 'inbox', target: userId, channelId: null, userId, notBefore: now });
          if (pref?.email) {
            const quietEnd = pref.quiet_from && pref.quiet_to ? endOfDailyWindow(now, { from: pref.quiet_from, to: pref.quiet_to }, offset) : null;
            destinations.push({ kind: 'email', target: pref.email, channelId: null, userId, notBefore: quietEnd ?? now });
          }
        }
      }
      if (destinations.length === 0) return 0;
      const made: { id: string; kind: DeliveryKind; not_before: Date }[] = await m.query(
        `INSERT INTO notification_delivery (notification_id, channel_id, user_id, kind, target, status, not_before, sent_at)
         SELECT $1, d.channel_id, d.user_id, d.kind, d.target,
                CASE WHEN d.kind = 'inbox' THEN 'sent' ELSE 'pending' END, d.not_before,
                CASE WHEN d.kind = 'inbox' THEN $3::timestamptz END
           FROM jsonb_to_recordset($2::jsonb) AS d(channel_id uuid, user_id uuid, kind text, target text, not_before timestamptz)
         ON CONFLICT (notification_id, kind, target) DO NOTHING
         RETURNING id, kind, not_before`,
        [
          notificationId,
          JSON.stringify(destinations.map((d) => ({ channel_id: d.channelId, user_id: d.userId, kind: d.kind, target: d.target, not_before: d.notBefore }))),
          now,
        ],
      );
      const sends = made.filter((d) => d.kind !== 'inbox');
      await addJobs(
        m,
        sends.map((d) => deliverJob(String(d.id), 1, new Date(d.not_before).getTime() > now.getTime() ? new Date(d.not_before) : undefined)),
      );
      return made.length;
    });
    if (made > 0) this.relay.wake();
    return made;
  }
}
