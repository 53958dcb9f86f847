import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, Raw, type DataSource, type EntityManager, type Repository } from 'typeorm';
import { RoadChief, User, type ChiefLevel, type Role } from '@wangge/domain';
import { RecentSessions } from './recent-sessions';
import type { UserRecord } from './user-record';

export type { UserRecord } from './user-record';

/** A user as the administrator's list shows them. */
export interface UserEntry {
  id: string;
  username: string;
  name: string;
  phone: string | null;
  role: Role;
  active: boolean;
  canLogIn: boolean;
  /** A one-time password is set and has not been changed yet. */
  passwordChangeRequired: boolean;
  jurisdiction: { street: string | null; chief: { id: number; level: ChiefLevel } | null; cells: number };
}

/** Which users to list (all given conditions hold). */
export interface UserFilter {
  role?: Role;
  /** Users of this street (their `street_code`). */
  streetCode?: string;
  active?: boolean;
  /** Part of the username, name or phone (case-insensitive). */
  q?: string;
}

/** One person's record as an admin change reads and writes it (the fields the audit trail shows). */
export interface PersonRecord {
  id: string;
  username: string;
  name: string;
  phone: string | null;
  role: Role;
  streetCode: string | null;
  active: boolean;
  /** Wardens: the cells they patrol, in code order. */
  cells: string[];
  /** The road-chief post the account holds, if any. */
  chiefId: number | null;
  /** Role department: the department the account belongs to. */
  departmentCode: string | null;
}

export interface NewPerson {
  username: string;
  name: string;
  phone: string | null;
  role: Role;
  streetCode: string | null;
  passwordHash: string;
  /** Role department: its department (required there, null for every other role). */
  departmentCode?: string | null;
}

export type PersonPatch = Partial<Pick<PersonRecord, 'name' | 'phone' | 'role' | 'streetCode' | 'active' | 'departmentCode'>>;

/** A login the launcher prints. */
export interface LoginEntry {
  username: string;
  role: Role;
  name: string;
}

const LIST_MAX = 5000;

/** The WHERE clause of a user filter (over `app_user u`), with any further conditions. */
function filterSql(filter: UserFilter, more: string[] = []): { where: string; params: unknown[] } {
  const where = [...more];
  const params: unknown[] = [];
  if (filter.role !== undefined) where.push(`u.role = $${params.push(filter.role)}`);
  if (filter.streetCode !== undefined) where.push(`u.street_code = $${params.push(filter.streetCode)}`);
  if (filter.active !== undefined) where.push(`u.active = $${params.push(filter.active)}`);
  if (filter.q) {
    const p = params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(u.username ILIKE $${p} OR u.name ILIKE $${p} OR coalesce(u.phone, '') ILIKE $${p})`);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * The people of the platform (`app_user`, `warden_cell`): who they are, what they patrol. The
 * owner of those tables; other modules ask it rather than read them. Writes take the manager of
 * the caller's transaction, so a change and its audit entry commit together.
 */
@Injectable()
export class UserDirectory {
  private readonly userRows: Repository<User>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    // Absent outside Nest (the CLI's one-off reads): nothing there keeps sessions.
    @Optional() @Inject(RecentSessions) private readonly recentSessions: RecentSessions = new RecentSessions(),
  ) {
    this.userRows = db.getRepository(User);
  }

  /**
   * The grid cells a warden patrols (none for anyone else). With `recent` (HTTP requests), as read
   * within the last second (RecentSessions): a change through {@link setCells} here counts at once,
   * one made elsewhere within the second.
   */
  async wardenCells(userId: string, options: { recent?: boolean } = {}): Promise<ReadonlySet<string>> {
    const read = async (): Promise<ReadonlySet<string>> => {
      const rows: { cell_code: string }[] = await this.db.query(`SELECT cell_code FROM warden_cell WHERE user_id = $1`, [userId]);
      return new Set(rows.map((r) => r.cell_code));
    };
    return options.recent ? this.recentSessions.wardenCells(userId, read) : read();
  }

  /** The user who signs in with `username`, with the password hash; null when there is none. */
  byUsername(username: string): Promise<UserRecord | null> {
    return this.userRecord({ username }, true);
  }

  /** The user with this id (a token's subject), without the password hash; null when there is none. */
  byId(id: string): Promise<UserRecord | null> {
    return this.userRecord({ id }, false);
  }

  /** The usernames of these users (by id); an id without a user is left out. */
  async usernames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.userRows.find({ select: { id: true, username: true }, where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((u) => [u.id, u.username]));
  }

  /** The active accounts of the usernames given, by username (the demo seed's composition names its people so). */
  async activeByUsername(usernames: readonly string[]): Promise<Map<string, { id: string; role: Role; name: string }>> {
    const rows = await this.userRows.find({ select: { id: true, username: true, role: true, name: true }, where: { active: true, username: In([...usernames]) } });
    return new Map(rows.map((u) => [u.username, { id: u.id, role: u.role, name: u.name }]));
  }

  private async userRecord(where: { username: string } | { id: string }, withHash: boolean): Promise<UserRecord | null> {
    const q = this.userRows
      .createQueryBuilder('u')
      .leftJoin(RoadChief, 'c', 'c.userId = u.id')
      // The department the user leads (its leader is one of its members): the access model's department-lead scope.
      .leftJoin('department', 'd', 'd.leader_id = u.id AND d.code = u.department_code')
      .select('u.id', 'id')
      .addSelect('u.username', 'username')
      .addSelect('u.name', 'name')
      .addSelect('u.role', 'role')
      .addSelect('u.streetCode', 'streetCode')
      .addSelect('u.departmentCode', 'departmentCode')
      .addSelect('u.active', 'active')
      .addSelect('u.sessionVersion', 'sessionVersion')
      .addSelect('u.passwordChangeRequired', 'passwordChangeRequired')
      .addSelect('c.id', 'chiefId')
      .addSelect('d.code', 'ledDepartmentCode');
    if (withHash) q.addSelect('u.passwordHash', 'passwordHash');
    const row: UserRecord | undefined = await ('username' in where ? q.where('u.username = :username', where) : q.where('u.id = :id', where)).getRawOne();
    return row ?? null;
  }

  /** Users with role and jurisdiction (street, chief, number of cells), by role and username. */
  list(filter: UserFilter = {}): Promise<UserEntry[]> {
    const { where, params } = filterSql(filter);
    return this.db.query(
      `SELECT u.id, u.username, u.name, u.phone, u.role, u.active, (u.password_hash IS NOT NULL) AS "canLogIn",
              u.password_change_required AS "passwordChangeRequired",
              json_build_object(
                'street', u.street_code,
                'chief', CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('id', c.id, 'level', c.level) END,
                'cells', (SELECT count(*)::int FROM warden_cell w WHERE w.user_id = u.id)) AS jurisdiction
         FROM app_user u LEFT JOIN road_chief c ON c.user_id = u.id
        ${where}
        ORDER BY u.role, u.username
        LIMIT ${LIST_MAX}`,
      params,
    );
  }

  /**
   * The accounts of the filter as the people CSV carries them (street, cells in code order,
   * department), by role and username; road chiefs are left out (their posts come from chiefs.csv).
   */
  async exportRows(filter: UserFilter = {}): Promise<{ username: string; name: string; phone: string | null; role: Role; streetCode: string | null; cells: string[]; departmentCode: string | null }[]> {
    const { where, params } = filterSql(filter, [`u.role <> 'chief'`]);
    return this.db.query(
      `SELECT u.username, u.name, u.phone, u.role, u.street_code AS "streetCode", u.department_code AS "departmentCode",
              coalesce((SELECT array_agg(w.cell_code::text ORDER BY w.cell_code) FROM warden_cell w WHERE w.user_id = u.id), '{}') AS cells
         FROM app_user u
        ${where}
        ORDER BY u.role, u.username`,
      params,
    );
  }

  /** One person with their cells and chief post; with `lock`, the row is locked for the caller's transaction. */
  async person(id: string, manager: EntityManager = this.db.manager, lock = false): Promise<PersonRecord | null> {
    const rows: { id: string; username: string; name: string; phone: string | null; role: Role; street_code: string | null; active: boolean; department_code: string | null }[] =
      await manager.query(`SELECT id, username, name, phone, role, street_code, active, department_code FROM app_user WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const cells: { cell_code: string }[] = await manager.query(`SELECT cell_code FROM warden_cell WHERE user_id = $1 ORDER BY cell_code`, [id]);
    const chief: { id: number }[] = await manager.query(`SELECT id FROM road_chief WHERE user_id = $1`, [id]);
    return {
      id: row.id,
      username: row.username,
      name: row.name,
      phone: row.phone,
      role: row.role,
      streetCode: row.street_code,
      active: row.active,
      cells: cells.map((c) => c.cell_code),
      chiefId: chief[0]?.id ?? null,
      departmentCode: row.department_code,
    };
  }

  /** The usernames among `usernames` that an account already has. */
  async takenUsernames(usernames: readonly string[], manager: EntityManager = this.db.manager): Promise<Set<string>> {
    if (usernames.length === 0) return new Set();
    const rows = await manager.getRepository(User).find({ select: { username: true }, where: { username: In([...usernames]) } });
    return new Set(rows.map((r) => r.username));
  }

  /** Adds an account whose password must be changed at the first login; returns its id. */
  async create(manager: EntityManager, person: NewPerson): Promise<string> {
    const result = await manager.getRepository(User).insert({
      username: person.username,
      name: person.name,
      phone: person.phone,
      role: person.role,
      streetCode: person.streetCode,
      departmentCode: person.departmentCode ?? null,
      passwordHash: person.passwordHash,
      passwordChangeRequired: true,
    });
    return (result.identifiers[0] as { id: string }).id;
  }

  /** Changes the given fields; deactivating ends every session of the account. */
  async update(manager: EntityManager, id: string, patch: PersonPatch): Promise<void> {
    const set: Partial<User> = { ...patch };
    if (Object.keys(set).length === 0) return;
    this.recentSessions.forgetAll();
    await manager.getRepository(User).update({ id }, set);
    if (patch.active === false) await this.endSessions(manager, id);
  }

  /** Makes these cells the warden's whole patrol. */
  async setCells(manager: EntityManager, userId: string, cells: readonly string[]): Promise<void> {
    this.recentSessions.forgetAll();
    await manager.query(`DELETE FROM warden_cell WHERE user_id = $1 AND NOT (cell_code = ANY($2::varchar[]))`, [userId, cells]);
    if (cells.length > 0) {
      await manager.query(`INSERT INTO warden_cell (user_id, cell_code) SELECT $1, unnest($2::varchar[]) ON CONFLICT DO NOTHING`, [userId, cells]);
    }
  }

  /**
   * Sets a password. A one-time password (`changeRequired`) ends every session of the account, and
   * its sessions may only change it; a chosen one keeps the caller's session.
   */
  async setPassword(manager: EntityManager, id: string, passwordHash: string, changeRequired: boolean): Promise<void> {
    this.recentSessions.forgetAll();
    await manager.getRepository(User).update({ id }, { passwordHash, passwordChangeRequired: changeRequired });
    if (changeRequired) await this.endSessions(manager, id);
  }

  /**
   * Gives a demo account the demo password (the demo seed only, never in production): no change
   * required, and marked so that a production start refuses to run while it keeps it.
   */
  async setDemoPassword(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    this.recentSessions.forgetAll();
    await manager.getRepository(User).update({ id }, { passwordHash, passwordChangeRequired: false, seededDemoPassword: true });
  }

  /**
   * Replaces a password hash by one of the same password at the current cost (at login), unless
   * the password changed meanwhile; sessions and the change-required mark are kept.
   */
  async rehashPassword(id: string, previousHash: string, passwordHash: string): Promise<void> {
    await this.userRows.update({ id, passwordHash: previousHash }, { passwordHash });
  }

  /** The stored password hash (to check the current password before a change). */
  async passwordHash(id: string): Promise<string | null> {
    const row = await this.userRows.findOne({ select: { id: true, passwordHash: true }, where: { id } });
    return row?.passwordHash ?? null;
  }

  /** Every access token issued so far is refused from now on. */
  async endSessions(manager: EntityManager, id: string): Promise<void> {
    this.recentSessions.forgetAll();
    await manager.getRepository(User).increment({ id }, 'sessionVersion', 1);
  }

  /**
   * The demo logins left: the active users the demo seed made among `usernames`, and its numbered
   * wardens (warden1, warden2, …). Not the `admin` of a district set up with `npm run setup`.
   */
  async activeLogins(usernames: readonly string[]): Promise<LoginEntry[]> {
    const rows = await this.userRows.find({
      select: { id: true, username: true, role: true, name: true },
      where: [
        { active: true, seededDemoPassword: true, username: In([...usernames]) },
        { active: true, seededDemoPassword: true, username: Raw((column) => `${column} ~ '^warden[0-9]+$'`) },
      ],
    });
    return rows.map((u) => ({ username: u.username, role: u.role, name: u.name }));
  }
}
