import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK, endOfDailyWindow, utcOffsetMinutes, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { OutboxRelay, addJobs } from '@wangge/workflow';
import { deliverJob } from './delivery.service';
import type { DeliveryKind } from './notification-event';
import { NOTIFICATION_EVENTS } from './notification-event';

interface Destination {
  notificationId: string;
  kind: DeliveryKind;
  target: string;
  channelId: string | null;
  userId: string | null;
  notBefore: Date;
}

interface NotificationRow {
  id: string;
  event: string;
  street_code: string | null;
  recipients: string[];
}

interface ChannelRow {
  id: string;
  kind: DeliveryKind;
  target: string;
  events: string[];
  street_code: string | null;
}

interface PreferenceRow {
  user_id: string;
  events: string[];
  email: string | null;
  quiet_from: string | null;
  quiet_to: string | null;
}

/**
 * Turns raised notifications into their deliveries: every enabled channel that takes the event (the
 * street's channels and the district-wide ones), and each recipient's inbox and email as their
 * preferences say (every event by default; email only to an address they gave, held by their quiet
 * hours until those end, district local time). One transaction writes the rows of a whole batch of
 * notifications (a destination once: a repeated fan-out adds nothing) and queues the sends through the
 * outbox. A notification that has deliveries already was fanned out (all of it, in one transaction):
 * a repeated fan-out job reads one row and writes nothing. The notifier's pass fans out its own
 * notifications in its transaction (`fanOutIn`) and queues no fan-out job for them.
 */
@Injectable()
export class NotificationFanOut {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Writes and queues one notification's deliveries; returns how many were new. */
  fanOut(notificationId: string): Promise<number> {
    return this.fanOutAll([notificationId]);
  }

  /** Writes and queues the deliveries of notifications not fanned out yet, in one transaction; returns how many were new. */
  async fanOutAll(notificationIds: readonly string[]): Promise<number> {
    if (notificationIds.length === 0) return 0;
    const made = await this.db.transaction((m) => this.fanOutIn(m, notificationIds));
    if (made > 0) this.relay.wake();
    return made;
  }

  /**
   * The same in the caller's transaction (the notifier's pass: its notifications and their deliveries
   * commit together, so they need no fan-out job); the caller wakes the relay after its commit.
   */
  async fanOutIn(m: EntityManager, notificationIds: readonly string[]): Promise<number> {
    if (notificationIds.length === 0) return 0;
    const pending: NotificationRow[] = await m.query(PENDING_SQL, [notificationIds]);
    if (pending.length === 0) return 0;
    const now = this.clock.now();
    const channels: ChannelRow[] = await m.query(
      `SELECT id, kind, target, events, street_code FROM notification_channel WHERE enabled AND events && $1::text[] ORDER BY created_at, id`,
      [[...new Set(pending.map((n) => n.event))]],
    );
    const recipients = [...new Set(pending.flatMap((n) => n.recipients))];
    const prefs: PreferenceRow[] =
      recipients.length === 0 ? [] : await m.query(`SELECT user_id, events, email, quiet_from, quiet_to FROM notification_preference WHERE user_id = ANY($1::uuid[])`, [recipients]);
    const byUser = new Map(prefs.map((p) => [p.user_id, p]));
    const offset = utcOffsetMinutes(this.config.timeZone, now);
    const destinations = pending.flatMap((n) => destinationsOf(n, channels, byUser, now, offset));
    if (destinations.length === 0) return 0;
    const made: { id: string; kind: DeliveryKind; not_before: Date }[] = await m.query(
      `INSERT INTO notification_delivery (notification_id, channel_id, user_id, kind, target, status, not_before, sent_at)
       SELECT d.notification_id, d.channel_id, d.user_id, d.kind, d.target,
              CASE WHEN d.kind = 'inbox' THEN 'sent' ELSE 'pending' END, d.not_before,
              CASE WHEN d.kind = 'inbox' THEN $2::timestamptz END
         FROM jsonb_to_recordset($1::jsonb) AS d(notification_id bigint, channel_id uuid, user_id uuid, kind text, target text, not_before timestamptz)
       ON CONFLICT (notification_id, kind, target) DO NOTHING
       RETURNING id, kind, not_before`,
      [
        JSON.stringify(
          destinations.map((d) => ({ notification_id: d.notificationId, channel_id: d.channelId, user_id: d.userId, kind: d.kind, target: d.target, not_before: d.notBefore })),
        ),
        now,
      ],
    );
    const sends = made.filter((d) => d.kind !== 'inbox');
    await addJobs(
      m,
      sends.map((d) => deliverJob(String(d.id), 1, new Date(d.not_before).getTime() > now.getTime() ? new Date(d.not_before) : undefined)),
    );
    return made.length;
  }
}

/** The notifications of $1 with no delivery yet. */
const PENDING_SQL = `
  SELECT n.id, n.event, n.street_code, n.recipients FROM notification n
   WHERE n.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM notification_delivery d WHERE d.notification_id = n.id)
   ORDER BY n.id`;

/** One notification's destinations: the channels that take its event in its street, then each recipient's inbox and email. */
function destinationsOf(n: NotificationRow, channels: readonly ChannelRow[], prefs: ReadonlyMap<string, PreferenceRow>, now: Date, offset: number): Destination[] {
  const destinations: Destination[] = [];
  for (const c of channels) {
    if (!c.events.includes(n.event) || (c.street_code !== null && c.street_code !== n.street_code)) continue;
    destinations.push({ notificationId: n.id, kind: c.kind, target: c.target, channelId: c.id, userId: null, notBefore: now });
  }
  for (const userId of n.recipients) {
    const pref = prefs.get(userId);
    const events: readonly string[] = pref?.events ?? NOTIFICATION_EVENTS;
    if (!events.includes(n.event)) continue;
    destinations.push({ notificationId: n.id, kind: 'inbox', target: userId, channelId: null, userId, notBefore: now });
    if (pref?.email) {
      const quietEnd = pref.quiet_from && pref.quiet_to ? endOfDailyWindow(now, { from: pref.quiet_from, to: pref.quiet_to }, offset) : null;
      destinations.push({ notificationId: n.id, kind: 'email', target: pref.email, channelId: null, userId, notBefore: quietEnd ?? now });
    }
  }
  return destinations;
}
