import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One admin change (domain.md section 7): who did what to which record, with the record before and
 * after. Append-only: the database refuses UPDATE, DELETE and TRUNCATE on the table.
 */
@Entity('audit_entry')
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  /** Null for a change made outside the API (the CLI: setup, import). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_username', type: 'text' })
  actorUsername: string;

  /** `<entity>.<verb>`, e.g. `user.create`, `standard.create`, `calendar.replace`. */
  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  entity: string;

  @Column({ name: 'entity_id', type: 'text', nullable: true })
  entityId: string | null;

  /** The street the change concerns, when it concerns one: street-level admins read these. */
  @Column({ name: 'street_code', type: 'varchar', length: 9, nullable: true })
  streetCode: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before: object | null;

  @Column({ type: 'jsonb', nullable: true })
  after: object | null;
}
