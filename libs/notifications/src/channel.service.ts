import { Inject, Injectable } from '@nestjs/common';
import { rowsOf } from '@wangge/database';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { CLOCK, type Clock } from '@wangge/clock';
import { OutboxRelay, addJobs } from '@wangge/workflow';
import { deliverJob } from './delivery.service';
import { CHANNEL_KINDS, isNotificationEvent, type ChannelKind, type NotificationEvent, type NotificationSubject } from './notification-event';
import { NotificationError } from './notification-error';
import { maskTarget } from './senders/signatures';

/** A channel as answers show it: never its secret, its target's key hidden. */
export interface ChannelView {
  id: string;
  kind: ChannelKind;
  name: string;
  target: string;
  events: NotificationEvent[];
  streetCode: string | null;
  hasSecret: boolean;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelInput {
  kind: ChannelKind;
  name?: string;
  target: string;
  events: string[];
  streetCode?: string | null;
  secret?: string | null;
  enabled?: boolean;
}

export type ChannelChange = Partial<Omit<ChannelInput, 'kind'>>;

interface ChannelRow {
  id: string;
  kind: ChannelKind;
  name: string;
  target: string;
  events: NotificationEvent[];
  street_code: string | null;
  secret: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const HTTP_URL = /^https?:\/\/[^\s]+$/;

/** The checks of a channel as it would be after a change: each problem names its field. */
export function channelProblems(c: ChannelInput): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  if (!CHANNEL_KINDS.includes(c.kind)) problems.push({ field: 'kind', problem: `kind must be one of ${CHANNEL_KINDS.join(', ')}` });
  if (c.kind === 'email' ? !EMAIL.test(c.target) : !HTTP_URL.test(c.target)) {
    problems.push({ field: 'target', problem: c.kind === 'email' ? 'target must be an email address' : 'target must be an http(s) URL' });
  }
  const unknown = c.events.filter((e) => !isNotificationEvent(e));
  if (c.events.length === 0) problems.push({ field: 'events', problem: 'events must name at least one event' });
  if (unknown.length > 0) problems.push({ field: 'events', problem: `unknown events: ${unknown.join(', ')}` });
  if (c.kind === 'webhook' && !c.secret) problems.push({ field: 'secret', problem: 'a webhook needs a secret (its messages are signed with it)' });
  if ((c.kind === 'wecom' || c.kind === 'email') && c.secret) problems.push({ field: 'secret', problem: `a ${c.kind} channel takes no secret` });
  return problems;
}

/**
 * The admin's notification channels (`notification_channel`): created, changed and deleted with an
 * audit entry in the same transaction (never the secret; the target's query values hidden, since
 * a robot's URL carries its key), and a test message on demand.
 */
@Injectable()
export class NotificationChannelService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async list(): Promise<ChannelView[]> {
    const rows: ChannelRow[] = await this.db.query(`SELECT * FROM notification_channel ORDER BY created_at, id`);
    return rows.map(toView);
  }

  async get(id: string, m: EntityManager = this.db.manager): Promise<ChannelView> {
    return toView(await this.row(m, id, false));
  }

  async create(input: ChannelInput, actor: AuditActor): Promise<ChannelView> {
    const events = [...new Set(input.events)];
    const problems = channelProblems({ ...input, events });
    if (problems.length > 0) throw new NotificationError('bad_input', problems.map((p) => p.problem).join('; '), problems);
    return this.db.transaction(async (m) => {
      const [row]: ChannelRow[] = await m.query(
        `INSERT INTO notification_channel (kind, name, target, events, street_code, secret, enabled, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *`,
        [input.kind, input.name?.trim() || defaultName(input.kind, input.target), input.target, events, input.streetCode ?? null, input.secret || null, input.enabled ?? true, this.clock.now()],
      );
      const view = toView(row);
      await recordAudit(m, { actor, action: 'notification_channel.create', entity: 'notification_channel', entityId: row.id, streetCode: row.street_code, after: auditOf(view) });
      return view;
    });
  }

  async update(id: string, change: ChannelChange, actor: AuditActor): Promise<ChannelView> {
    return this.db.transaction(async (m) => {
      const before = await this.row(m, id, true);
      const next: ChannelInput = {
        kind: before.kind,
        name: change.name ?? before.name,
        target: change.target ?? before.target,
        events: change.events ? [...new Set(change.events)] : before.events,
        streetCode: change.streetCode !== undefined ? change.streetCode : before.street_code,
        secret: change.secret !== undefined ? change.secret : before.secret,
        enabled: change.enabled ?? before.enabled,
      };
      const problems = channelProblems(next);
      if (problems.length > 0) throw new NotificationError('bad_input', problems.map((p) => p.problem).join('; '), problems);
      const [row] = rowsOf<ChannelRow>(await m.query(
        `UPDATE notification_channel SET name = $2, target = $3, events = $4, street_code = $5, secret = $6, enabled = $7, updated_at = $8
          WHERE id = $1 RETURNING *`,
        [id, next.name, next.target, next.events, next.streetCode ?? null, next.secret || null, next.enabled, this.clock.now()],
      ));
      const view = toView(row);
      await recordAudit(m, {
        actor,
        action: 'notification_channel.update',
        entity: 'notification_channel',
        entityId: id,
        streetCode: row.street_code,
        before: auditOf(toView(before)),
        after: { ...auditOf(view), secretChanged: change.secret !== undefined },
      });
      return view;
    });
  }

  async remove(id: string, actor: AuditActor): Promise<void> {
    await this.db.transaction(async (m) => {
      const before = await this.row(m, id, true);
      await m.query(`DELETE FROM notification_channel WHERE id = $1`, [id]);
      await recordAudit(m, { actor, action: 'notification_channel.delete', entity: 'notification_channel', entityId: id, streetCode: before.street_code, before: auditOf(toView(before)) });
    });
  }

  /** Sends a test message to the channel now (a notification of its first event, delivered to it alone); returns the delivery's id. */
  async testSend(id: string, actor: AuditActor): Promise<string> {
    const now = this.clock.now();
    const deliveryId = await this.db.transaction(async (m) => {
      const channel = await this.row(m, id, false);
      const subject: NotificationSubject = { title: '测试消息 / Test message', lines: [`${channel.name} · ${actor.username}`] };
      const [n]: { id: string }[] = await m.query(
        `INSERT INTO notification (event, street_code, subject, at) VALUES ($1, $2, $3, $4) RETURNING id`,
        [channel.events[0], channel.street_code, subject, now],
      );
      const [d]: { id: string }[] = await m.query(
        `INSERT INTO notification_delivery (notification_id, channel_id, kind, target, not_before) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [n.id, channel.id, channel.kind, channel.target, now],
      );
      await addJobs(m, [deliverJob(String(d.id), 1)]);
      return String(d.id);
    });
    this.relay.wake();
    return deliveryId;
  }

  private async row(m: EntityManager, id: string, lock: boolean): Promise<ChannelRow> {
    const [row]: ChannelRow[] = await m.query(`SELECT * FROM notification_channel WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!row) throw new NotificationError('not_found', `no notification channel ${id} / 没有该通知渠道`, [{ field: 'id', problem: 'no such channel' }]);
    return row;
  }
}

function defaultName(kind: ChannelKind, target: string): string {
  if (kind === 'email') return target;
  try {
    return `${kind} ${new URL(target).host}`;
  } catch {
    return kind;
  }
}

function auditOf(view: ChannelView): Record<string, unknown> {
  return { kind: view.kind, name: view.name, target: view.target, events: view.events, streetCode: view.streetCode, hasSecret: view.hasSecret, enabled: view.enabled };
}

function toView(r: ChannelRow): ChannelView {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    target: maskTarget(r.target),
    events: r.events,
    streetCode: r.street_code,
    hasSecret: r.secret !== null,
    enabled: r.enabled,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
