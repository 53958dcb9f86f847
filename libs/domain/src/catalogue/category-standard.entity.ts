import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ClockType } from './clock-type';

/**
 * 立结案标准: one registration condition of one version of a category's standard, with its time
 * limit and closing condition. A case keeps the row it was judged by; a new version adds rows.
 */
@Entity('category_standard')
export class CategoryStandard {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'category_code', type: 'varchar', length: 5 })
  categoryCode: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'condition_no', type: 'integer' })
  conditionNo: number;

  /** 立案条件 */
  @Column({ type: 'text' })
  condition: string;

  @Column({ name: 'condition_en', type: 'text' })
  conditionEn: string;

  @Column({ name: 'time_limit_value', type: 'numeric', precision: 8, scale: 2, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  timeLimitValue: number;

  @Column({ name: 'clock_type', type: 'text' })
  clockType: ClockType;

  /** 结案条件 */
  @Column({ name: 'closing_condition', type: 'text' })
  closingCondition: string;

  @Column({ name: 'closing_condition_en', type: 'text' })
  closingConditionEn: string;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom: string;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
