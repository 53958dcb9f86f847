import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { LineString } from 'typeorm';

/** 路段: one stretch of a road (LineString). `seq` numbers the segments of a road from 1. */
@Entity('road_segment')
export class RoadSegment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'road_id', type: 'integer' })
  roadId: number;

  @Column({ type: 'text', unique: true })
  ref: string;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'geometry', spatialFeatureType: 'LineString', srid: 4326, select: false })
  geom: LineString;

  @Column({ name: 'length_m', type: 'double precision', insert: false, update: false })
  lengthM: number;
}
