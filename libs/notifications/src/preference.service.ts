import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, minutesOfLocalTime, type Clock, type DailyWindow } from '@wangge/clock';
import { isNotificationEvent, NOTIFICATION_EVENTS, type NotificationEvent } from './notification-event';
import { NotificationError } from './notification-error';

/** One entry of "my notifications". */
export interface InboxItem {
  id: string;
  event: NotificationEvent;
  title: string;
  caseId: string | null;
  caseCode: string | null;
  path: string | null;
  lines: string[];
  at: string;
  read: boolean;
}

/** A person's notifications: their preferences and their latest entries. */
export interface MyNotifications {
  events: NotificationEvent[];
  quietHours: DailyWindow | null;
  email: string | null;
  unread: number;
  items: InboxItem[];
}

export interface PreferenceChange {
  events?: string[];
  quietHours?: DailyWindow | null;
  email?: string | null;
}

const INBOX_SIZE = 100;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * Each person's preferences (`notification_preference`: the events they take, email address, quiet
 * hours; none set: every event, inbox only) and their inbox, the `inbox` deliveries addressed to them.
 */
@Injectable()
export class NotificationPreferenceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async mine(userId: string): Promise<MyNotifications> {
    const [pref]: { events: NotificationEvent[]; email: string | null; quiet_from: string | null; quiet_to: string | null }[] = await this.db.query(
      `SELECT events, email, quiet_from, quiet_to FROM notification_preference WHERE user_id = $1`,
      [userId],
    );
    const items: { id: string; event: NotificationEvent; subject: { title: string; caseId?: string; caseCode?: string; path?: string; lines?: string[] }; at: Date; read_at: Date | null }[] =
      await this.db.query(
        `SELECT d.id, n.event, n.subject, n.at, d.read_at FROM notification_delivery d JOIN notification n ON n.id = d.notification_id
          WHERE d.user_id = $1 AND d.kind = 'inbox' ORDER BY d.id DESC LIMIT $2`,
        [userId, INBOX_SIZE],
      );
    return {
      events: pref?.events ?? [...NOTIFICATION_EVENTS],
      quietHours: pref?.quiet_from && pref.quiet_to ? { from: pref.quiet_from, to: pref.quiet_to } : null,
      email: pref?.email ?? null,
      unread: items.filter((i) => i.read_at === null).length,
      items: items.map((i) => ({
        id: String(i.id),
        event: i.event,
        title: i.subject.title,
        caseId: i.subject.caseId ?? null,
        caseCode: i.subject.caseCode ?? null,
        path: i.subject.path ?? (i.subject.caseId ? `/cases/${i.subject.caseId}` : null),
        lines: i.subject.lines ?? [],
        at: new Date(i.at).toISOString(),
        read: i.read_at !== null,
      })),
    };
  }

  async change(userId: string, change: PreferenceChange): Promise<MyNotifications> {
    const problems: { field: string; problem: string }[] = [];
    const unknown = (change.events ?? []).filter((e) => !isNotificationEvent(e));
    if (unknown.length > 0) problems.push({ field: 'events', problem: `unknown events: ${unknown.join(', ')}` });
    if (change.email && !EMAIL.test(change.email)) problems.push({ field: 'email', problem: 'email must be an email address' });
    if (change.quietHours) {
      for (const key of ['from', 'to'] as const) {
        try {
          minutesOfLocalTime(change.quietHours[key]);
        } catch {
          problems.push({ field: `quietHours.${key}`, problem: `quietHours.${key} must be a local time HH:MM, e.g. 22:00` });
        }
      }
    }
    if (problems.length > 0) throw new NotificationError('bad_input', problems.map((p) => p.problem).join('; '), problems);
    const current = await this.mine(userId);
    const events = change.events ? [...new Set(change.events)] : current.events;
    const quiet = change.quietHours !== undefined ? change.quietHours : current.quietHours;
    const email = change.email !== undefined ? change.email || null : current.email;
    await this.db.query(
      `INSERT INTO notification_preference (user_id, events, email, quiet_from, quiet_to, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (user_id) DO UPDATE SET events = $2, email = $3, quiet_from = $4, quiet_to = $5, updated_at = $6`,
      [userId, events, email, quiet?.from ?? null, quiet?.to ?? null, this.clock.now()],
    );
    return this.mine(userId);
  }

  /** Marks the person's inbox read (all of it, or the entries named). */
  async markRead(userId: string, ids?: readonly string[]): Promise<void> {
    await this.db.query(
      `UPDATE notification_delivery SET read_at = $3 WHERE user_id = $1 AND kind = 'inbox' AND read_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2))`,
      [userId, ids ?? null, this.clock.now()],
    );
  }
}
