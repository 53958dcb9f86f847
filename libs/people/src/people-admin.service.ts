import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import {
  generateOneTimePassword,
  hashOneTimePassword,
  peopleJurisdiction,
  personVisible,
  UserDirectory,
  type AuthUser,
  type PeopleJurisdiction,
  type PersonPatch,
  type PersonRecord,
  type UserEntry,
  type UserFilter,
} from '@wangge/auth';
import { DepartmentDirectory, handOverChiefPost } from '@wangge/chiefs';
import type { Role } from '@wangge/domain';
import type { SessionsEndedNotice } from '@wangge/events';
import { GridDirectory } from '@wangge/geo';
import { PeopleError } from './people-error';
import { addFeedNotice, OutboxRelay } from '@wangge/workflow';
import { checkDraft, departmentProblems } from './person-checks';
import { writePeopleCsv } from './people-csv';

export interface CreatePersonInput {
  username: string;
  name: string;
  phone?: string | null;
  role: Role;
  streetCode?: string | null;
  cells?: string[];
  chiefId?: number | null;
  departmentCode?: string | null;
}

export interface UpdatePersonInput {
  name?: string;
  phone?: string | null;
  role?: Role;
  streetCode?: string | null;
  cells?: string[];
  active?: boolean;
  /** Role department: the department the account belongs to. */
  departmentCode?: string | null;
}

/** A person as `GET /admin/users/:id` answers. */
export interface PersonView extends PersonRecord {
  /** [west, south, east, north] of their cells; null without cells. */
  cellsBbox: [number, number, number, number] | null;
}

export interface StreetChoice {
  code: string;
  name: string;
  bbox: [number, number, number, number] | null;
}

export interface CreatedPerson {
  id: string;
  username: string;
  /** Shown once: only its hash is stored, and it must be changed at the first login. */
  initialPassword: string;
}

/** The fields of an account an admin change may touch, as the audit trail shows them. */
const AUDITED = ['name', 'phone', 'role', 'streetCode', 'cells', 'active', 'departmentCode'] as const;
type Audited = (typeof AUDITED)[number];

/**
 * People's administration (domain.md section 7): accounts, roles, streets, wardens' cells, road-chief
 * posts changing hands, one-time passwords, deactivation. Every change is checked against the
 * admin's jurisdiction (auth's people access: a street admin within their street) and recorded in
 * the audit trail in its transaction. Deactivation and password resets end the account's sessions:
 * its tokens are refused at once and a `user.sessions_ended` notice closes its feed connections.
 */
@Injectable()
export class PeopleAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(UserDirectory) private readonly users: UserDirectory,
    @Inject(GridDirectory) private readonly grid: GridDirectory,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(DepartmentDirectory) private readonly departments: DepartmentDirectory,
  ) {}

  /** The people the admin may see: a street admin's list is their street's, whatever the filter says. */
  list(admin: AuthUser, filter: UserFilter): Promise<UserEntry[]> {
    const j = jurisdictionOf(admin);
    if (j.streetCode !== null && filter.streetCode !== undefined && filter.streetCode !== j.streetCode) {
      throw outOfJurisdiction(`an admin of street ${j.streetCode} sees the people of that street only / 街道管理员只能查看本街道人员`);
    }
    return this.users.list({ ...filter, streetCode: j.streetCode ?? filter.streetCode });
  }

  /**
   * The people CSV of the admin's people (a street admin's: their street's) under the filter, as
   * the import reads it back: road chiefs are left out (their posts come from chiefs.csv).
   */
  async exportCsv(admin: AuthUser, filter: UserFilter): Promise<string> {
    const j = jurisdictionOf(admin);
    if (j.streetCode !== null && filter.streetCode !== undefined && filter.streetCode !== j.streetCode) {
      throw outOfJurisdiction(`an admin of street ${j.streetCode} sees the people of that street only / 街道管理员只能查看本街道人员`);
    }
    return writePeopleCsv(await this.users.exportRows({ ...filter, streetCode: j.streetCode ?? filter.streetCode }));
  }

  /** One person, with the bounding box of their cells (where the console's map opens). */
  async get(admin: AuthUser, id: string): Promise<PersonView> {
    const person = await this.users.person(id);
    if (!person) throw new PeopleError('not_found', `user ${id} not found / 没有该用户`);
    this.mustSee(jurisdictionOf(admin), person);
    return { ...person, cellsBbox: await this.grid.cellsExtent(person.cells) };
  }

  /** The streets the admin may give people (a street admin: their own), with their bounding boxes. */
  async streets(admin: AuthUser): Promise<StreetChoice[]> {
    const j = jurisdictionOf(admin);
    return (await this.grid.streetExtents()).filter((s) => j.streetCode === null || s.code === j.streetCode);
  }

  async create(admin: AuthUser, input: CreatePersonInput): Promise<CreatedPerson> {
    const j = jurisdictionOf(admin);
    const departmentCode = input.departmentCode ?? null;
    const draft = { role: input.role, streetCode: input.streetCode ?? null, cells: [...new Set(input.cells ?? [])].sort(), chiefId: input.chiefId ?? null };
    const initialPassword = generateOneTimePassword();
    const passwordHash = await hashOneTimePassword(initialPassword);
    let ended = false;
    const id = await this.inTransaction(input.username, async (tx) => {
      await checkDraft(this.grid, j, draft, true, tx);
      await this.checkDepartment(tx, input.role, departmentCode);
      if ((await this.users.takenUsernames([input.username], tx)).size > 0) throw usernameTaken(input.username);
      const newId = await this.users.create(tx, {
        username: input.username,
        name: input.name,
        phone: input.phone ?? null,
        role: input.role,
        streetCode: draft.streetCode,
        passwordHash,
        departmentCode,
      });
      if (draft.cells.length > 0) await this.users.setCells(tx, newId, draft.cells);
      let replaced: string | null = null;
      if (draft.chiefId !== null) {
        const handed = await handOverChiefPost(tx, draft.chiefId, newId);
        if (!handed) throw PeopleError.badInput([{ field: 'chiefId', problem: `no road chief ${draft.chiefId} / 没有该路长岗位` }]);
        replaced = await this.retire(tx, actorOf(admin), handed.previousUserId);
        ended = replaced !== null;
      }
      await recordAudit(tx, {
        actor: actorOf(admin),
        action: 'user.create',
        entity: 'user',
        entityId: newId,
        streetCode: draft.streetCode,
        after: {
          username: input.username,
          name: input.name,
          phone: input.phone ?? null,
          role: input.role,
          streetCode: draft.streetCode,
          cells: draft.cells,
          ...(departmentCode !== null ? { departmentCode } : {}),
          ...(draft.chiefId !== null ? { chiefId: draft.chiefId, replaces: replaced } : {}),
        },
      });
      return newId;
    });
    if (ended) this.relay.wake();
    return { id, username: input.username, initialPassword };
  }

  async update(admin: AuthUser, id: string, input: UpdatePersonInput): Promise<PersonRecord> {
    const j = jurisdictionOf(admin);
    let notified = false;
    await this.db.transaction(async (tx) => {
      const current = await this.users.person(id, tx, true);
      if (!current) throw new PeopleError('not_found', `user ${id} not found / 没有该用户`);
      this.mustSee(j, current);
      const role = input.role ?? current.role;
      const next: Pick<PersonRecord, Audited> = {
        name: input.name ?? current.name,
        phone: input.phone !== undefined ? input.phone : current.phone,
        role,
        streetCode: input.streetCode !== undefined ? input.streetCode : current.streetCode,
        cells: input.cells !== undefined ? [...new Set(input.cells)].sort() : role === 'warden' ? current.cells : [],
        active: input.active ?? current.active,
        // Only role department belongs to a department: another role leaves it.
        departmentCode: role !== 'department' ? null : input.departmentCode !== undefined ? input.departmentCode : current.departmentCode,
      };
      const changed = AUDITED.filter((f) => JSON.stringify(next[f]) !== JSON.stringify(current[f]));
      if (changed.length === 0) return;
      if (id === admin.id && (changed.includes('active') || changed.includes('role') || changed.includes('streetCode'))) {
        throw new PeopleError('own_account', 'you cannot deactivate yourself or change your own role or street; ask another admin / 不能停用自己或修改自己的角色、街道');
      }
      if (current.chiefId !== null && role !== 'chief') {
        throw new PeopleError(
          'holds_chief_post',
          `this account holds road-chief post ${current.chiefId}: hand the post to another account first (POST /admin/users with chiefId) / 该账号担任路长，请先移交路长岗位`,
        );
      }
      if (current.chiefId === null && role === 'chief') {
        const problem = 'a road chief account takes a road-chief post: create the account with chiefId instead / 路长账号须对应路长岗位，请以 chiefId 新建账号';
        throw PeopleError.badInput([{ field: 'role', problem }]);
      }
      await checkDraft(this.grid, j, { role, streetCode: next.streetCode, cells: next.cells }, false, tx);
      if (changed.includes('departmentCode') || changed.includes('role')) await this.checkDepartment(tx, role, next.departmentCode);
      const patch: PersonPatch = {};
      for (const f of changed) if (f !== 'cells') Object.assign(patch, { [f]: next[f] });
      await this.users.update(tx, id, patch);
      if (changed.includes('cells')) await this.users.setCells(tx, id, next.cells);
      if (changed.includes('active') && !next.active) {
        await addFeedNotice(tx, sessionsEnded(id, 'deactivated'));
        notified = true;
      } else if (next.active && changed.some((f) => f === 'role' || f === 'streetCode' || f === 'cells' || f === 'departmentCode')) {
        // The feed placed their connections in rooms by the old scope: they reconnect into the new one.
        await addFeedNotice(tx, { name: 'user.scope_changed', at: new Date().toISOString(), data: { userId: id } });
        notified = true;
      }
      await recordAudit(tx, {
        actor: actorOf(admin),
        action: 'user.update',
        entity: 'user',
        entityId: id,
        streetCode: next.streetCode ?? current.streetCode,
        before: pick(current, changed),
        after: pick(next, changed),
      });
    });
    if (notified) this.relay.wake();
    return (await this.users.person(id))!;
  }

  /** A new one-time password (also for accounts that never had one, e.g. imported chiefs); every session of the account ends. */
  async resetPassword(admin: AuthUser, id: string): Promise<{ initialPassword: string }> {
    const j = jurisdictionOf(admin);
    const initialPassword = generateOneTimePassword();
    const passwordHash = await hashOneTimePassword(initialPassword);
    await this.db.transaction(async (tx) => {
      const person = await this.users.person(id, tx, true);
      if (!person) throw new PeopleError('not_found', `user ${id} not found / 没有该用户`);
      this.mustSee(j, person);
      await this.users.setPassword(tx, id, passwordHash, true);
      await addFeedNotice(tx, sessionsEnded(id, 'password_reset'));
      await recordAudit(tx, { actor: actorOf(admin), action: 'user.reset_password', entity: 'user', entityId: id, streetCode: person.streetCode, after: { passwordChangeRequired: true } });
    });
    this.relay.wake();
    return { initialPassword };
  }

  /** A transaction in which a username taken meanwhile (two admins at once) answers 409 like one taken before. */
  private async inTransaction<T>(username: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(work);
    } catch (err) {
      if (isUniqueViolation(err, 'app_user_username_key')) throw usernameTaken(username);
      throw err;
    }
  }

  /** The previous holder of a road-chief post: deactivated, sessions ended (its own audit entry). Returns its username. */
  private async retire(tx: EntityManager, actor: AuditActor, userId: string): Promise<string | null> {
    const previous = await this.users.person(userId, tx, true);
    if (!previous) return null;
    if (previous.active) {
      await this.users.update(tx, userId, { active: false });
      await addFeedNotice(tx, sessionsEnded(userId, 'deactivated'));
      await recordAudit(tx, {
        actor,
        action: 'user.update',
        entity: 'user',
        entityId: userId,
        streetCode: previous.streetCode,
        before: { active: true },
        after: { active: false },
      });
    }
    return previous.username;
  }

  /** Role department belongs to an active department; no other role names one (400 on departmentCode). */
  private async checkDepartment(tx: EntityManager, role: Role, departmentCode: string | null): Promise<void> {
    const problems = await departmentProblems(this.departments, tx, role, departmentCode);
    if (problems.length > 0) throw PeopleError.badInput(problems);
  }

  private mustSee(j: PeopleJurisdiction, person: PersonRecord): void {
    if (!personVisible(j, person)) {
      throw outOfJurisdiction(`an admin of street ${j.streetCode} manages the people of that street only / 街道管理员只能管理本街道人员`);
    }
  }
}

export function jurisdictionOf(admin: AuthUser): PeopleJurisdiction {
  const j = peopleJurisdiction(admin);
  if (!j) throw new PeopleError('forbidden', 'only admins manage people / 仅管理员可管理人员');
  return j;
}

export function actorOf(user: AuthUser): AuditActor {
  return { id: user.id, username: user.username };
}

export function usernameTaken(username: string): PeopleError {
  return new PeopleError('username_taken', `the username ${username} is taken / 用户名 ${username} 已被使用`, {
    details: [{ field: 'username', problem: `${username} is taken` }],
  });
}

/** A unique violation of the named constraint (PostgreSQL 23505). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = (err as { driverError?: { code?: string; constraint?: string } } | null)?.driverError;
  return e?.code === '23505' && e.constraint === constraint;
}

function outOfJurisdiction(message: string): PeopleError {
  return new PeopleError('out_of_jurisdiction', message);
}

function sessionsEnded(userId: string, reason: SessionsEndedNotice['data']['reason']): SessionsEndedNotice {
  return { name: 'user.sessions_ended', at: new Date().toISOString(), data: { userId, reason } };
}

function pick(record: Pick<PersonRecord, Audited>, fields: readonly Audited[]): Partial<Pick<PersonRecord, Audited>> {
  return Object.fromEntries(fields.map((f) => [f, record[f]]));
}
