import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A day that differs from the ordinary week: `holiday` (a weekday off) or `workday`
 * (调休: a weekend day worked to make up for a holiday).
 */
@Entity('holiday')
export class Holiday {
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'text' })
  kind: 'holiday' | 'workday';

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;
}
