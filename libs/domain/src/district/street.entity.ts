import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MultiPolygon } from 'typeorm';

/** 街道: a street office (or township). Code = district code + 3 digits. */
@Entity('street')
export class Street {
  @PrimaryColumn({ type: 'varchar', length: 9 })
  code: string;

  @Column({ name: 'district_code', type: 'varchar', length: 6 })
  districtCode: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'geometry', spatialFeatureType: 'MultiPolygon', srid: 4326, nullable: true, select: false })
  geom: MultiPolygon | null;
}
