import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { JobName, type JobRequest } from '@wangge/jobs';
import { OutboxRelay, addJobs } from '@wangge/workflow';
import { afterFailure } from './delivery-policy';
import type { DeliveryKind, DeliveryStatus, NotificationSubject } from './notification-event';
import { NotificationError } from './notification-error';
import { ChannelSender, DeliveryFailed } from './senders/channel-sender';
import { linkOf } from './senders/message';
import { maskTarget } from './senders/signatures';

/** A delivery as the admin list shows it. */
export interface DeliveryView {
  id: string;
  notificationId: string;
  event: string;
  title: string;
  caseCode: string | null;
  kind: DeliveryKind;
  /** The channel's target with its query values hidden, or the person's address. */
  target: string;
  channel: { id: string; name: string } | null;
  userId: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  notBefore: string;
  sentAt: string | null;
  createdAt: string;
}

export interface DeliveryFilter {
  /** `failed` lists failed and dead deliveries; the others their own status. */
  status?: DeliveryStatus;
  channelId?: string;
  limit?: number;
}

/** What one delivery job did. */
export type DeliveryOutcome = 'sent' | 'failed' | 'dead' | 'skipped';

interface ClaimedRow {
  id: string;
  notification_id: string;
  channel_id: string | null;
  user_id: string | null;
  kind: DeliveryKind;
  target: string;
  retry_base: number;
  event: string;
  subject: NotificationSubject;
  at: Date;
  secret: string | null;
}

interface DeliveryRow {
  id: string;
  notification_id: string;
  event: string;
  subject: NotificationSubject;
  kind: DeliveryKind;
  target: string;
  channel_id: string | null;
  channel_name: string | null;
  user_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  not_before: Date;
  sent_at: Date | null;
  created_at: Date;
}

export const DELIVERY_LIST_MAX = 500;
/** Deliveries the sweep leaves to their own job for this long after they fell due. */
const SWEEP_GRACE_MS = 30_000;

const SELECT_VIEW = `SELECT d.id, d.notification_id, n.event, n.subject, d.kind, d.target, d.channel_id, c.name AS channel_name, d.user_id,
       d.status, d.attempts, d.last_error, d.not_before, d.sent_at, d.created_at
  FROM notification_delivery d
  JOIN notification n ON n.id = d.notification_id
  LEFT JOIN notification_channel c ON c.id = d.channel_id`;

/** The deliver job of an attempt, not before `at`. */
export function deliverJob(deliveryId: string, attempt: number, at?: Date): JobRequest {
  return { name: JobName.DeliverNotification, data: { deliveryId, attempt }, deliverAfter: at };
}

/**
 * Sends deliveries and keeps their record (`notification_delivery`): each attempt is claimed first
 * (one attempt runs once however many jobs ask for it), sent outside any transaction within
 * NOTIFY_TIMEOUT_MS, then recorded: sent, or failed with the next attempt queued through the
 * outbox after the backoff, or dead once the attempts are spent (an admin may retry it).
 */
@Injectable()
export class NotificationDeliveryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ChannelSender) private readonly sender: ChannelSender,
  ) {}

  async deliver(deliveryId: string, attempt: number): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    const claimed: ClaimedRow[] = await this.db.query(
      `WITH claim AS (
         UPDATE notification_delivery d SET attempts = $2, claimed_until = $3::timestamptz + make_interval(secs => $4)
          WHERE d.id = $1 AND d.attempts = $2 - 1 AND d.status IN ('pending', 'failed') AND d.not_before <= $3
          RETURNING d.id, d.notification_id, d.channel_id, d.user_id, d.kind, d.target, d.retry_base)
       SELECT claim.*, n.event, n.subject, n.at, c.secret
         FROM claim JOIN notification n ON n.id = claim.notification_id
         LEFT JOIN notification_channel c ON c.id = claim.channel_id`,
      [deliveryId, attempt, now, Math.ceil((this.config.notify.timeoutMs * 2) / 1000) + 5],
    );
    const row = claimed[0];
    if (!row) return 'skipped';
    if (row.kind === 'inbox' || (row.channel_id === null && row.user_id === null)) {
      return this.failed(row, attempt, 'the channel was deleted', true);
    }
    try {
      await this.sender.send(
        { kind: row.kind, target: row.target, secret: row.secret },
        {
          event: row.event,
          at: new Date(row.at).toISOString(),
          notificationId: String(row.notification_id),
          deliveryId: String(row.id),
          subject: row.subject,
          link: linkOf(this.config.publicBaseUrl, row.subject),
        },
        now,
      );
    } catch (err) {
      if (!(err instanceof DeliveryFailed)) throw err;
      return this.failed(row, attempt, err.message, false);
    }
    await this.db.query(
      `UPDATE notification_delivery SET status = 'sent', sent_at = $3, last_error = NULL, claimed_until = NULL WHERE id = $1 AND attempts = $2`,
      [row.id, attempt, this.clock.now()],
    );
    return 'sent';
  }

  private async failed(row: ClaimedRow, attempt: number, reason: string, final: boolean): Promise<DeliveryOutcome> {
    const next = final ? ({ dead: true } as const) : afterFailure(this.config.notify, attempt, row.retry_base);
    const now = this.clock.now();
    const outcome = await this.db.transaction(async (m): Promise<DeliveryOutcome> => {
      if (next.dead) {
        await m.query(`UPDATE notification_delivery SET status = 'dead', last_error = $3, claimed_until = NULL WHERE id = $1 AND attempts = $2`, [
          row.id,
          attempt,
          reason.slice(0, 500),
        ]);
        return 'dead';
      }
      const at = new Date(now.getTime() + next.waitMs);
      await m.query(
        `UPDATE notification_delivery SET status = 'failed', last_error = $3, not_before = $4, claimed_until = NULL WHERE id = $1 AND attempts = $2`,
        [row.id, attempt, reason.slice(0, 500), at],
      );
      await addJobs(m, [deliverJob(String(row.id), attempt + 1, at)]);
      return 'failed';
    });
    if (outcome === 'failed') this.relay.wake();
    return outcome;
  }

  /** Deliveries, newest first (inbox entries are the people's own: not listed). */
  async list(filter: DeliveryFilter = {}): Promise<DeliveryView[]> {
    const statuses = filter.status === 'failed' ? ['failed', 'dead'] : filter.status ? [filter.status] : null;
    const rows: DeliveryRow[] = await this.db.query(
      `${SELECT_VIEW}
        WHERE d.kind <> 'inbox' AND ($1::text[] IS NULL OR d.status = ANY($1)) AND ($2::uuid IS NULL OR d.channel_id = $2)
        ORDER BY d.id DESC LIMIT $3`,
      [statuses, filter.channelId ?? null, Math.min(filter.limit ?? 100, DELIVERY_LIST_MAX)],
    );
    return rows.map(toView);
  }

  /** An admin's retry of a failed or dead delivery: pending now, with its attempts counted again; audited. */
  async retry(id: string, actor: AuditActor): Promise<DeliveryView> {
    const now = this.clock.now();
    await this.db.transaction(async (m) => {
      const [row]: { status: DeliveryStatus; attempts: number; kind: DeliveryKind }[] = await m.query(
        `SELECT status, attempts, kind FROM notification_delivery WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row || row.kind === 'inbox') throw new NotificationError('not_found', `no delivery ${id} / 没有该投递记录`, [{ field: 'id', problem: 'no such delivery' }]);
      if (row.status !== 'failed' && row.status !== 'dead') {
        throw new NotificationError('not_retryable', `delivery ${id} is ${row.status}: only failed and dead deliveries are retried / 仅失败的投递可重试`);
      }
      await m.query(`UPDATE notification_delivery SET status = 'pending', not_before = $2, retry_base = attempts, claimed_until = NULL WHERE id = $1`, [id, now]);
      await addJobs(m, [deliverJob(id, row.attempts + 1)]);
      await recordAudit(m, {
        actor,
        action: 'notification_delivery.retry',
        entity: 'notification_delivery',
        entityId: id,
        before: { status: row.status, attempts: row.attempts },
        after: { status: 'pending' },
      });
    });
    this.relay.wake();
    return this.get(id);
  }

  async get(id: string, m: EntityManager = this.db.manager): Promise<DeliveryView> {
    const [row]: DeliveryRow[] = await m.query(`${SELECT_VIEW} WHERE d.id = $1`, [id]);
    if (!row) throw new NotificationError('not_found', `no delivery ${id} / 没有该投递记录`, [{ field: 'id', problem: 'no such delivery' }]);
    return toView(row);
  }

  /**
   * The deliveries that fell due a while ago and hold no live claim (their job lost with Redis, or
   * held by quiet hours under a clock that moved): their next attempt, for the sweep to queue again.
   */
  async overdue(limit = 1000): Promise<{ deliveryId: string; attempt: number }[]> {
    const rows: { id: string; attempts: number }[] = await this.db.query(
      `SELECT id, attempts FROM notification_delivery
        WHERE status IN ('pending', 'failed') AND kind <> 'inbox' AND not_before <= $1 AND (claimed_until IS NULL OR claimed_until < $2)
        ORDER BY id LIMIT $3`,
      [new Date(this.clock.now().getTime() - SWEEP_GRACE_MS), this.clock.now(), limit],
    );
    return rows.map((r) => ({ deliveryId: String(r.id), attempt: r.attempts + 1 }));
  }
}

function toView(r: DeliveryRow): DeliveryView {
  return {
    id: String(r.id),
    notificationId: String(r.notification_id),
    event: r.event,
    title: r.subject.title,
    caseCode: r.subject.caseCode ?? null,
    kind: r.kind,
    target: maskTarget(r.target),
    channel: r.channel_id ? { id: r.channel_id, name: r.channel_name ?? '' } : null,
    userId: r.user_id,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    notBefore: new Date(r.not_before).toISOString(),
    sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
