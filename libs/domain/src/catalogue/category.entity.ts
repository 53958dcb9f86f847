import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CategoryKind } from './clock-type';

/** 部件/事件 大类-小类: one minor class of the catalogue, e.g. E0102 暴露垃圾. */
@Entity('category')
export class Category {
  @PrimaryColumn({ type: 'varchar', length: 5 })
  code: string;

  @Column({ type: 'text' })
  kind: CategoryKind;

  @Column({ name: 'major_code', type: 'varchar', length: 2 })
  majorCode: string;

  @Column({ name: 'major_name', type: 'text' })
  majorName: string;

  @Column({ name: 'major_name_en', type: 'text' })
  majorNameEn: string;

  @Column({ name: 'minor_code', type: 'varchar', length: 2 })
  minorCode: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  /** Warden reports with a matching condition are registered without an operator. */
  @Column({ name: 'auto_register', type: 'boolean', default: true })
  autoRegister: boolean;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}
