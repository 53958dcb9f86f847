import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ChiefLevel } from './chief-level';

/** 路长: an official accountable for roads, segments, a community or a street, at one level. */
@Entity('road_chief')
export class RoadChief {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'user_id', type: 'uuid', unique: true })
  userId: string;

  @Column({ type: 'smallint' })
  level: ChiefLevel;

  /** False while on leave: routing skips the chief for the deputy or the next level up. */
  @Column({ type: 'boolean', default: true })
  available: boolean;

  @Column({ name: 'unavailable_reason', type: 'text', nullable: true })
  unavailableReason: string | null;

  @Column({ name: 'deputy_id', type: 'integer', nullable: true })
  deputyId: number | null;
}
