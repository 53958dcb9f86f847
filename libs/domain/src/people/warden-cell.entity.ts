import { Entity, PrimaryColumn } from 'typeorm';

/** A grid cell a warden patrols. */
@Entity('warden_cell')
export class WardenCell {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'cell_code', type: 'varchar', length: 15 })
  cellCode: string;
}
