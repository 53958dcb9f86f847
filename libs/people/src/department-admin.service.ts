import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@wangge/audit';
import type { AuthUser } from '@wangge/auth';
import { CatalogueService } from '@wangge/catalogue';
import { DepartmentDirectory, type DepartmentRecord, type DepartmentView } from '@wangge/chiefs';
import { GridDirectory } from '@wangge/geo';
import type { FieldProblem } from '@wangge/operations';
import { PeopleError } from './people-error';
import { actorOf } from './people-admin.service';

export interface CreateDepartmentInput {
  code: string;
  name: string;
  categoryCodes: string[];
  streetCodes?: string[];
}

export interface UpdateDepartmentInput {
  name?: string;
  categoryCodes?: string[];
  streetCodes?: string[];
  /** A member of the department (role department), or null: no leader. */
  leaderId?: string | null;
  active?: boolean;
}

/**
 * Departments as reference data (domain.md 9): the categories each handles and the streets it
 * serves (none: the whole district), its leader. Every change is checked (unknown categories or
 * streets, a taken code, a leader who is not a member: 400 naming the field) and recorded in the
 * audit trail in its transaction. District admins only (the controller's guard).
 */
@Injectable()
export class DepartmentAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(DepartmentDirectory) private readonly departments: DepartmentDirectory,
    @Inject(CatalogueService) private readonly catalogue: CatalogueService,
    @Inject(GridDirectory) private readonly grid: GridDirectory,
  ) {}

  list(): Promise<DepartmentView[]> {
    return this.departments.list();
  }

  async get(code: string): Promise<DepartmentView> {
    const view = await this.departments.view(code);
    if (!view) throw notFound(code);
    return view;
  }

  async create(admin: AuthUser, input: CreateDepartmentInput): Promise<DepartmentView> {
    const record: DepartmentRecord = {
      code: input.code,
      name: input.name,
      categoryCodes: sortedSet(input.categoryCodes),
      streetCodes: sortedSet(input.streetCodes ?? []),
      leaderId: null,
      active: true,
    };
    // The catalogue is read before the transaction: a read on another connection inside it would need a
    // second connection, which the embedded database (one connection at a time) never gives.
    const categories = await this.activeCategoryCodes();
    await this.db.transaction(async (tx) => {
      await this.check(tx, record, { categoryCodes: categories, streetCodes: true });
      if (!(await this.departments.insert(tx, record))) {
        throw PeopleError.badInput([{ field: 'code', problem: `a department ${record.code} exists already / 部门编码 ${record.code} 已存在` }]);
      }
      await recordAudit(tx, { actor: actorOf(admin), action: 'department.create', entity: 'department', entityId: record.code, after: record });
    });
    return this.get(record.code);
  }

  async update(admin: AuthUser, code: string, input: UpdateDepartmentInput): Promise<DepartmentView> {
    const categories = input.categoryCodes !== undefined ? await this.activeCategoryCodes() : null;
    await this.db.transaction(async (tx) => {
      const current = await this.departments.record(code, tx, true);
      if (!current) throw notFound(code);
      const next: DepartmentRecord = {
        code,
        name: input.name ?? current.name,
        categoryCodes: input.categoryCodes !== undefined ? sortedSet(input.categoryCodes) : current.categoryCodes,
        streetCodes: input.streetCodes !== undefined ? sortedSet(input.streetCodes) : current.streetCodes,
        leaderId: input.leaderId !== undefined ? input.leaderId : current.leaderId,
        active: input.active ?? current.active,
      };
      const changed = (Object.keys(next) as (keyof DepartmentRecord)[]).filter((f) => JSON.stringify(next[f]) !== JSON.stringify(current[f]));
      if (changed.length === 0) return;
      await this.check(tx, next, { categoryCodes: changed.includes('categoryCodes') ? categories : null, streetCodes: changed.includes('streetCodes'), leaderId: changed.includes('leaderId') });
      await this.departments.update(tx, next);
      await recordAudit(tx, {
        actor: actorOf(admin),
        action: 'department.update',
        entity: 'department',
        entityId: code,
        before: Object.fromEntries(changed.map((f) => [f, current[f]])),
        after: Object.fromEntries(changed.map((f) => [f, next[f]])),
      });
    });
    return this.get(code);
  }

  /** The fields that changed, checked against the catalogue, the district's streets and the members. */
  /** The codes of the active categories (read on a connection of its own: call it outside a transaction). */
  private async activeCategoryCodes(): Promise<ReadonlySet<string>> {
    return new Set((await this.catalogue.list()).map((c) => c.code));
  }

  /** `categoryCodes`: the active categories' codes to check against (null: the categories are not checked). */
  private async check(
    tx: EntityManager,
    d: DepartmentRecord,
    what: { categoryCodes?: ReadonlySet<string> | null; streetCodes?: boolean; leaderId?: boolean },
  ): Promise<void> {
    const problems: FieldProblem[] = [];
    const known = what.categoryCodes;
    if (known) {
      const unknown = d.categoryCodes.filter((c) => !known.has(c));
      if (d.categoryCodes.length === 0) problems.push({ field: 'categoryCodes', problem: 'a department handles at least one category / 部门至少处置一个类别' });
      if (unknown.length > 0) problems.push({ field: 'categoryCodes', problem: `no active category ${unknown.join(', ')} / 类别不存在或已停用: ${unknown.join(', ')}` });
    }
    if (what.streetCodes && d.streetCodes.length > 0) {
      const known = new Set((await this.grid.streets(tx)).map((s) => s.code));
      const unknown = d.streetCodes.filter((s) => !known.has(s));
      if (unknown.length > 0) problems.push({ field: 'streetCodes', problem: `no street ${unknown.join(', ')} in this district / 本区没有街道: ${unknown.join(', ')}` });
    }
    if (what.leaderId && d.leaderId !== null && !(await this.departments.isMember(tx, d.code, d.leaderId))) {
      problems.push({ field: 'leaderId', problem: `the leader must be an active member of department ${d.code} / 部门负责人须为本部门在岗人员` });
    }
    if (problems.length > 0) throw PeopleError.badInput(problems);
  }
}

function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function notFound(code: string): PeopleError {
  return new PeopleError('not_found', `no department ${code} / 没有该部门`);
}
