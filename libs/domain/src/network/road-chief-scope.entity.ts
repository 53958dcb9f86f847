import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ChiefLevel, ChiefScopeKind } from './chief-level';

/**
 * One thing a chief is accountable for. The database allows at most one chief per road and level,
 * per segment, per community and per street.
 */
@Entity('road_chief_scope')
export class RoadChiefScope {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'chief_id', type: 'integer' })
  chiefId: number;

  @Column({ type: 'text' })
  kind: ChiefScopeKind;

  @Column({ type: 'smallint' })
  level: ChiefLevel;

  @Column({ name: 'road_id', type: 'integer', nullable: true })
  roadId: number | null;

  @Column({ name: 'segment_id', type: 'integer', nullable: true })
  segmentId: number | null;

  @Column({ name: 'community_code', type: 'varchar', length: 12, nullable: true })
  communityCode: string | null;

  @Column({ name: 'street_code', type: 'varchar', length: 9, nullable: true })
  streetCode: string | null;
}
