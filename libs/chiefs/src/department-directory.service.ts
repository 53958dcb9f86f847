import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** A department that handles the cases of its trade (domain.md 9), as the admin and the console see it. */
export interface DepartmentView {
  code: string;
  name: string;
  /** The categories it handles, in code order. */
  categoryCodes: string[];
  /** The streets it serves, in code order; empty: the whole district. */
  streetCodes: string[];
  /** Its leader (a member, role department), who an overdue case escalates to first. */
  leader: { id: string; name: string } | null;
  active: boolean;
  /** Active members (users of role department). */
  members: number;
}

/** The stored fields of a department, as a change writes them and the audit trail shows them. */
export interface DepartmentRecord {
  code: string;
  name: string;
  categoryCodes: string[];
  streetCodes: string[];
  leaderId: string | null;
  active: boolean;
}

/** The department that handles a case, as routing hands it one. */
export interface CaseDepartment {
  code: string;
  name: string;
}

const VIEW_SQL = `
  SELECT d.code, d.name, d.category_codes AS "categoryCodes", d.street_codes AS "streetCodes", d.active,
         CASE WHEN l.id IS NULL THEN NULL ELSE json_build_object('id', l.id, 'name', l.name) END AS leader,
         (SELECT count(*)::int FROM app_user m WHERE m.department_code = d.code AND m.active) AS members
    FROM department d
    LEFT JOIN app_user l ON l.id = d.leader_id`;

/**
 * The departments (`department`): reference data of who handles which trade where. The owner of
 * the table (docs/data-ownership.md); people's `DepartmentAdmin` checks and audits the admin's
 * changes, routing asks {@link handlerOf}. Writes take the manager of the caller's transaction.
 */
@Injectable()
export class DepartmentDirectory {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(manager: EntityManager = this.db.manager): Promise<DepartmentView[]> {
    return manager.query(`${VIEW_SQL} ORDER BY d.code`);
  }

  async view(code: string, manager: EntityManager = this.db.manager): Promise<DepartmentView | null> {
    const [row]: DepartmentView[] = await manager.query(`${VIEW_SQL} WHERE d.code = $1`, [code]);
    return row ?? null;
  }

  /** The stored department; with `lock`, its row is locked for the caller's transaction. */
  async record(code: string, manager: EntityManager = this.db.manager, lock = false): Promise<DepartmentRecord | null> {
    const [row]: DepartmentRecord[] = await manager.query(
      `SELECT code, name, category_codes AS "categoryCodes", street_codes AS "streetCodes", leader_id AS "leaderId", active
         FROM department WHERE code = $1${lock ? ' FOR UPDATE' : ''}`,
      [code],
    );
    return row ?? null;
  }

  /** Adds a department; false when its code is taken. */
  async insert(manager: EntityManager, d: DepartmentRecord): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO department (code, name, category_codes, street_codes, leader_id, active) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      [d.code, d.name, d.categoryCodes, d.streetCodes, d.leaderId, d.active],
    );
    return rows.length > 0;
  }

  async update(manager: EntityManager, d: DepartmentRecord): Promise<void> {
    await manager.query(
      `UPDATE department SET name = $2, category_codes = $3, street_codes = $4, leader_id = $5, active = $6, updated_at = now() WHERE code = $1`,
      [d.code, d.name, d.categoryCodes, d.streetCodes, d.leaderId, d.active],
    );
  }

  /** Whether `userId` is an active member of the department (who may lead it). */
  async isMember(manager: EntityManager, code: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM app_user WHERE id = $1 AND department_code = $2 AND active`, [userId, code]);
    return rows.length > 0;
  }

  /** The department's active members (app_user ids), who are told of its tasks. */
  async membersOf(manager: EntityManager, code: string): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(`SELECT id FROM app_user WHERE department_code = $1 AND role = 'department' AND active ORDER BY id`, [code]);
    return rows.map((r) => r.id);
  }

  /** Whether the department exists and is active (a member may join it). */
  async isActive(manager: EntityManager, code: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM department WHERE code = $1 AND active`, [code]);
    return rows.length > 0;
  }

  /**
   * The active department that handles the category in the street, if any (domain.md 9): one that
   * names the street before one that serves the whole district, then by code, so the answer is
   * deterministic. Departments in `exclude` (those that returned the case) are passed over.
   */
  async handlerOf(manager: EntityManager, categoryCode: string, streetCode: string, exclude: readonly string[] = []): Promise<CaseDepartment | null> {
    const [row]: CaseDepartment[] = await manager.query(
      `SELECT code, name FROM department
        WHERE active AND category_codes @> ARRAY[$1::text] AND (street_codes = '{}' OR street_codes @> ARRAY[$2::text])
          AND NOT (code = ANY($3::text[]))
        ORDER BY (street_codes = '{}'), code
        LIMIT 1`,
      [categoryCode, streetCode, exclude],
    );
    return row ?? null;
  }

  /**
   * The active departments an operator may dispatch a case of the category to by hand (those that
   * handle it, whatever their streets: the workflow's check), by code; every active one without a category.
   */
  handlersOf(categoryCode: string | undefined, manager: EntityManager = this.db.manager): Promise<CaseDepartment[]> {
    return manager.query(
      `SELECT code, name FROM department WHERE active AND ($1::text IS NULL OR category_codes @> ARRAY[$1::text]) ORDER BY code`,
      [categoryCode ?? null],
    );
  }

  /** The department's leader (app_user id), who an overdue case of the department escalates to. */
  async leaderOf(manager: EntityManager, code: string): Promise<string | null> {
    const [row]: { leader_id: string | null }[] = await manager.query(`SELECT leader_id FROM department WHERE code = $1`, [code]);
    return row?.leader_id ?? null;
  }
}
