import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { localDate, utcOffsetMinutes } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { Category, CategoryStandard, type CategoryKind, type TimeLimit } from '@wangge/domain';
import { conditionOf, isInForce, type StandardCondition } from './standard-rows';

export interface CategoryView {
  code: string;
  kind: CategoryKind;
  major: { code: string; name: string; nameEn: string };
  minor: { code: string; name: string; nameEn: string };
  autoRegister: boolean;
  standard: {
    version: number;
    effectiveFrom: string;
    conditions: StandardCondition[];
  } | null;
}

/** The standard version and condition a case was judged by. */
export interface JudgedStandard {
  id: number;
  version: number;
  effectiveFrom: string;
  conditionNo: number;
  condition: string;
  conditionEn: string;
  timeLimit: TimeLimit;
  closingCondition: string;
  closingConditionEn: string;
}

/**
 * The category catalogue (`category`, `category_standard`) with the standard version in force for
 * each minor class: the owner of those tables.
 */
@Injectable()
export class CatalogueService {
  private readonly categories: Repository<Category>;
  private readonly offsetMinutes: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.categories = db.getRepository(Category);
    this.offsetMinutes = utcOffsetMinutes(config.timeZone);
  }

  /**
   * The active categories by kind and code, each with the standard version in force at `on`: the
   * newest version in effect by `on`'s date in the district (as reports judge it) and not retired by
   * `on`, with all its conditions.
   */
  async list(on: Date = new Date()): Promise<CategoryView[]> {
    const [categories, standards] = await Promise.all([
      this.categories.find({ where: { active: true }, order: { kind: 'ASC', code: 'ASC' } }),
      this.db.getRepository(CategoryStandard).find({ order: { categoryCode: 'ASC', version: 'ASC', conditionNo: 'ASC' } }),
    ]);
    const day = localDate(on, this.offsetMinutes);
    const byCategory = new Map<string, CategoryStandard[]>();
    for (const s of standards) byCategory.set(s.categoryCode, [...(byCategory.get(s.categoryCode) ?? []), s]);
    return categories.map((c) => ({
      code: c.code,
      kind: c.kind,
      major: { code: c.majorCode, name: c.majorName, nameEn: c.majorNameEn },
      minor: { code: c.minorCode, name: c.name, nameEn: c.nameEn },
      autoRegister: c.autoRegister,
      standard: standardInForce(byCategory.get(c.code) ?? [], day, on),
    }));
  }

  /**
   * The standard row a case was judged by (its version and condition): cases keep it when newer
   * versions come. Null for none or an unknown id.
   */
  async standardOf(standardId: number | null, manager: EntityManager = this.db.manager): Promise<JudgedStandard | null> {
    if (standardId === null) return null;
    const s = await manager.getRepository(CategoryStandard).findOne({ where: { id: standardId } });
    if (!s) return null;
    return {
      id: s.id,
      version: s.version,
      effectiveFrom: s.effectiveFrom,
      conditionNo: s.conditionNo,
      condition: s.condition,
      conditionEn: s.conditionEn,
      timeLimit: { value: s.timeLimitValue, clockType: s.clockType },
      closingCondition: s.closingCondition,
      closingConditionEn: s.closingConditionEn,
    };
  }

  /**
   * The time limit of a standard row (null for none or an unknown id). Inside a transaction pass its
   * manager: on the embedded database a query on another pooled connection would wait for it.
   */
  async timeLimit(standardId: number, manager: EntityManager = this.db.manager): Promise<TimeLimit | null> {
    const row = await manager.getRepository(CategoryStandard).findOne({ select: { id: true, timeLimitValue: true, clockType: true }, where: { id: standardId } });
    return row ? { value: row.timeLimitValue, clockType: row.clockType } : null;
  }
}

/** Of one category's rows (by version, then condition), the version in force on `day` at `on`, all its conditions. */
function standardInForce(rows: readonly CategoryStandard[], day: string, on: Date): CategoryView['standard'] {
  const inForce = rows.filter((s) => isInForce(s, day, on));
  const current = inForce[inForce.length - 1];
  if (!current) return null;
  return {
    version: current.version,
    effectiveFrom: current.effectiveFrom,
    conditions: rows
      .filter((s) => s.version === current.version)
      .map(conditionOf),
  };
}
