import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MultiPolygon } from 'typeorm';

/** 区: the top jurisdiction of one deployment (GB/T 2260 code, e.g. 410104 管城回族区). */
@Entity('district')
export class District {
  @PrimaryColumn({ type: 'varchar', length: 6 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_en', type: 'text', nullable: true })
  nameEn: string | null;

  @Column({ type: 'geometry', spatialFeatureType: 'MultiPolygon', srid: 4326, nullable: true, select: false })
  geom: MultiPolygon | null;
}
