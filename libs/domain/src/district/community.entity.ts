import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MultiPolygon } from 'typeorm';

/** 社区: a community (or village). Code = street code + 3 digits. */
@Entity('community')
export class Community {
  @PrimaryColumn({ type: 'varchar', length: 12 })
  code: string;

  @Column({ name: 'street_code', type: 'varchar', length: 9 })
  streetCode: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'geometry', spatialFeatureType: 'MultiPolygon', srid: 4326, nullable: true, select: false })
  geom: MultiPolygon | null;
}
