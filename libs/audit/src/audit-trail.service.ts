import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource, type EntityManager } from 'typeorm';
import { AuditEntry } from '@wangge/domain';
import { auditRow, type AuditFilter, type AuditRecord, type AuditView } from './audit-record';

export const AUDIT_LIST_MAX = 5000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The audit trail (`audit_entry`), its owner. A change is recorded with the manager of the
 * transaction that makes it, so the change and its entry commit together or not at all.
 */
@Injectable()
export class AuditTrail {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(record: AuditRecord, manager: EntityManager = this.db.manager): Promise<void> {
    await recordAudit(manager, record);
  }

  /** Entries, newest first. */
  async list(filter: AuditFilter = {}): Promise<AuditView[]> {
    const q = this.db.getRepository(AuditEntry).createQueryBuilder('a');
    if (filter.from) q.andWhere('a.at >= :from', { from: filter.from });
    if (filter.to) q.andWhere('a.at < :to', { to: filter.to });
    if (filter.entity) q.andWhere('a.entity = :entity', { entity: filter.entity });
    if (filter.streetCode) q.andWhere('a.street_code = :street', { street: filter.streetCode });
    if (filter.actor) {
      const actor = filter.actor;
      q.andWhere(
        new Brackets((w) => {
          w.where('a.actor_username = :actor', { actor });
          if (UUID.test(actor)) w.orWhere('a.actor_id = :actorId', { actorId: actor });
        }),
      );
    }
    const rows = await q
      .orderBy('a.at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .take(Math.min(filter.limit ?? AUDIT_LIST_MAX, AUDIT_LIST_MAX))
      .getMany();
    return rows.map(toView);
  }
}

/** For a lib that writes inside its own transaction without the Nest container (the CLI's import, setup). */
export async function recordAudit(manager: EntityManager, record: AuditRecord): Promise<void> {
  const row = auditRow(record);
  await manager.getRepository(AuditEntry).insert({
    actorId: row.actor.id,
    actorUsername: row.actor.username,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId == null ? null : String(row.entityId),
    streetCode: row.streetCode ?? null,
    before: (row.before ?? null) as object | null,
    after: (row.after ?? null) as object | null,
  });
}

function toView(e: AuditEntry): AuditView {
  return {
    id: String(e.id),
    at: e.at.toISOString(),
    actor: { id: e.actorId, username: e.actorUsername },
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    streetCode: e.streetCode,
    before: e.before ?? null,
    after: e.after ?? null,
  };
}
