import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditTrail, type AuditActor } from '@wangge/audit';
import { localDate, utcOffsetMinutes } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { Category, CategoryStandard, categoryCode, type CategoryKind, type ClockType } from '@wangge/domain';
import { CatalogueError } from './catalogue-error';
import { conditionOf, isInForce, type StandardCondition } from './standard-rows';

/** One registration condition of a new standard version. */
export interface ConditionInput {
  condition: string;
  conditionEn: string;
  timeLimit: { value: number; clockType: ClockType };
  closingCondition: string;
  closingConditionEn: string;
}

export interface StandardInput {
  /** The district's date it takes effect (YYYY-MM-DD), today or later. */
  effectiveFrom: string;
  conditions: ConditionInput[];
}

export interface NewCategory {
  code: string;
  kind: CategoryKind;
  majorCode: string;
  /** Needed for a new major class; else taken from the class's other categories. */
  majorName?: string;
  majorNameEn?: string;
  minorCode: string;
  name: string;
  nameEn: string;
  autoRegister?: boolean;
  standard?: StandardInput;
}

export interface CategoryChange {
  name?: string;
  nameEn?: string;
  autoRegister?: boolean;
  active?: boolean;
}

/** A category with every version of its standard, as the admin console shows it. */
export interface CategoryRecord {
  code: string;
  kind: CategoryKind;
  major: { code: string; name: string; nameEn: string };
  minor: { code: string; name: string; nameEn: string };
  autoRegister: boolean;
  active: boolean;
  /** The version new reports are judged by today (null: none yet in effect). */
  versionInForce: number | null;
  standards: StandardVersion[];
}

export interface StandardVersion {
  version: number;
  effectiveFrom: string;
  retiredAt: string | null;
  conditions: StandardCondition[];
}

/**
 * The admins' writer of the catalogue (`category`, `category_standard`): categories are added and
 * renamed, switched off for reporting (old cases keep theirs), and a standard changes only by a new
 * version. Each change commits with its one audit entry.
 */
@Injectable()
export class CatalogueEditor {
  private readonly offsetMinutes: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AuditTrail) private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.offsetMinutes = utcOffsetMinutes(config.timeZone);
  }

  /** Every category, active or not, by kind and code, with all its standard versions. */
  async list(manager: EntityManager = this.db.manager, codes?: string[]): Promise<CategoryRecord[]> {
    const categories = await manager.getRepository(Category).find({ order: { kind: 'ASC', code: 'ASC' } });
    const standards = await manager.getRepository(CategoryStandard).find({ order: { categoryCode: 'ASC', version: 'ASC', conditionNo: 'ASC' } });
    const today = this.today();
    return categories.filter((c) => !codes || codes.includes(c.code)).map((c) => toRecord(c, standards.filter((s) => s.categoryCode === c.code), today));
  }

  async get(code: string, manager: EntityManager = this.db.manager): Promise<CategoryRecord> {
    const [record] = await this.list(manager, [code]);
    if (!record) throw new CatalogueError('not_found', `category ${code} not found`);
    return record;
  }

  async create(input: NewCategory, actor: AuditActor): Promise<CategoryRecord> {
    if (categoryCode(input.kind, input.majorCode, input.minorCode) !== input.code) {
      throw CatalogueError.badInput([{ field: 'code', problem: `code must be ${categoryCode(input.kind, input.majorCode, input.minorCode)} for kind ${input.kind}, major ${input.majorCode}, minor ${input.minorCode} / 编码与类别、大类、小类不一致` }]);
    }
    if (input.standard) this.checkStandard(input.standard, null, 'standard.');
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('category'), 0)`);
      const categories = m.getRepository(Category);
      if (await categories.existsBy({ code: input.code })) throw new CatalogueError('category_exists', `category ${input.code} exists / 类别已存在`);
      const sibling = await categories.findOne({ where: { kind: input.kind, majorCode: input.majorCode }, order: { code: 'ASC' } });
      const majorName = input.majorName ?? sibling?.majorName;
      const majorNameEn = input.majorNameEn ?? sibling?.majorNameEn;
      if (!majorName || !majorNameEn) {
        throw CatalogueError.badInput([{ field: majorName ? 'majorNameEn' : 'majorName', problem: `major class ${input.majorCode} is new: name it (majorName, majorNameEn) / 新大类须填写名称` }]);
      }
      await categories.insert({
        code: input.code,
        kind: input.kind,
        majorCode: input.majorCode,
        majorName,
        majorNameEn,
        minorCode: input.minorCode,
        name: input.name,
        nameEn: input.nameEn,
        autoRegister: input.autoRegister ?? true,
        active: true,
      });
      if (input.standard) await this.insertVersion(m, input.code, 1, input.standard);
      const after = await this.get(input.code, m);
      await this.audit.record({ actor, action: 'category.create', entity: 'category', entityId: input.code, after }, m);
      return after;
    });
  }

  async update(code: string, change: CategoryChange, actor: AuditActor): Promise<CategoryRecord> {
    return this.db.transaction(async (m) => {
      const categories = m.getRepository(Category);
      const current = await categories.findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new CatalogueError('not_found', `category ${code} not found`);
      const before = await this.get(code, m);
      const patch: Partial<Category> = {};
      if (change.name !== undefined) patch.name = change.name;
      if (change.nameEn !== undefined) patch.nameEn = change.nameEn;
      if (change.autoRegister !== undefined) patch.autoRegister = change.autoRegister;
      if (change.active !== undefined) patch.active = change.active;
      if (Object.keys(patch).length === 0) return before;
      await categories.update({ code }, patch);
      const after = await this.get(code, m);
      await this.audit.record({ actor, action: 'category.update', entity: 'category', entityId: code, before: categoryFields(before), after: categoryFields(after) }, m);
      return after;
    });
  }

  /** Adds the next version of the category's standard; earlier versions stay as they are. */
  async addStandard(code: string, input: StandardInput, actor: AuditActor): Promise<CategoryRecord> {
    return this.db.transaction(async (m) => {
      const current = await m.getRepository(Category).findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new CatalogueError('not_found', `category ${code} not found`);
      const [last]: { version: number; effective_from: string }[] = await m.query(
        `SELECT version, effective_from::text FROM category_standard WHERE category_code = $1 ORDER BY version DESC LIMIT 1`,
        [code],
      );
      this.checkStandard(input, last?.effective_from ?? null, '');
      const version = (last?.version ?? 0) + 1;
      await this.insertVersion(m, code, version, input);
      const after = await this.get(code, m);
      await this.audit.record(
        { actor, action: 'standard.create', entity: 'standard', entityId: `${code}/v${version}`, after: after.standards.find((s) => s.version === version) },
        m,
      );
      return after;
    });
  }

  private async insertVersion(m: EntityManager, code: string, version: number, input: StandardInput): Promise<void> {
    await m.getRepository(CategoryStandard).insert(
      input.conditions.map((c, i) => ({
        categoryCode: code,
        version,
        conditionNo: i + 1,
        condition: c.condition,
        conditionEn: c.conditionEn,
        timeLimitValue: c.timeLimit.value,
        clockType: c.timeLimit.clockType,
        closingCondition: c.closingCondition,
        closingConditionEn: c.closingConditionEn,
        effectiveFrom: input.effectiveFrom,
        retiredAt: null,
      })),
    );
  }

  /** A version takes effect today or later, and not before the version it follows. */
  private checkStandard(input: StandardInput, previousFrom: string | null, prefix: string): void {
    const today = this.today();
    if (input.effectiveFrom < today) {
      throw CatalogueError.badInput([{ field: `${prefix}effectiveFrom`, problem: `effectiveFrom must be today (${today}) or later: cases already judged keep their version / 生效日期不得早于今天` }]);
    }
    if (previousFrom !== null && input.effectiveFrom < previousFrom) {
      throw new CatalogueError('bad_input', 'a version may not take effect before the one it follows', [
        { field: `${prefix}effectiveFrom`, problem: `effectiveFrom must be on or after ${previousFrom}, when the current newest version takes effect / 生效日期不得早于上一版本` },
      ]);
    }
  }

  private today(): string {
    return localDate(new Date(), this.offsetMinutes);
  }
}

function categoryFields(r: CategoryRecord) {
  return { name: r.minor.name, nameEn: r.minor.nameEn, autoRegister: r.autoRegister, active: r.active };
}

function toRecord(c: Category, rows: CategoryStandard[], today: string): CategoryRecord {
  const versions = new Map<number, StandardVersion>();
  for (const s of rows) {
    let v = versions.get(s.version);
    if (!v) {
      v = { version: s.version, effectiveFrom: s.effectiveFrom, retiredAt: s.retiredAt ? new Date(s.retiredAt).toISOString() : null, conditions: [] };
      versions.set(s.version, v);
    }
    v.conditions.push(conditionOf(s));
  }
  const standards = [...versions.values()];
  const now = new Date();
  const inForce = rows.filter((s) => isInForce(s, today, now)).pop();
  return {
    code: c.code,
    kind: c.kind,
    major: { code: c.majorCode, name: c.majorName, nameEn: c.majorNameEn },
    minor: { code: c.minorCode, name: c.name, nameEn: c.nameEn },
    autoRegister: c.autoRegister,
    active: c.active,
    versionInForce: inForce?.version ?? null,
    standards,
  };
}
