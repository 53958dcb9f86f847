import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, Raw, type DataSource, type Repository } from 'typeorm';
import { RoadChief, User, WardenCell, type ChiefLevel, type Role } from '@wangge/domain';

/** A user as the administrator's list shows them. */
export interface UserEntry {
  id: string;
  username: string;
  name: string;
  role: Role;
  active: boolean;
  canLogIn: boolean;
  jurisdiction: { street: string | null; chief: { id: number; level: ChiefLevel } | null; cells: number };
}

/** A user as sign-in and token checks read them: who, which role and jurisdiction, whether active. */
export interface UserRecord {
  id: string;
  username: string;
  name: string;
  /** As stored: the caller checks it is a known role. */
  role: string;
  streetCode: string | null;
  /** Their road_chief id; null for anyone not a chief. */
  chiefId: number | null;
  active: boolean;
  /** Only when asked for (sign-in): null when the account cannot log in. */
  passwordHash?: string | null;
}

/** A login the launcher prints. */
export interface LoginEntry {
  username: string;
  role: Role;
  name: string;
}

/**
 * The people of the platform (`app_user`, `warden_cell`): who they are, what they patrol. The
 * owner of those tables; other modules ask it rather than read them.
 */
@Injectable()
export class UserDirectory {
  private readonly userRows: Repository<User>;
  private readonly wardenCellRows: Repository<WardenCell>;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.userRows = db.getRepository(User);
    this.wardenCellRows = db.getRepository(WardenCell);
  }

  /** The grid cells a warden patrols (none for anyone else). */
  async wardenCells(userId: string): Promise<Set<string>> {
    const rows = await this.wardenCellRows.find({ select: { cellCode: true }, where: { userId } });
    return new Set(rows.map((r) => r.cellCode));
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

  private async userRecord(where: { username: string } | { id: string }, withHash: boolean): Promise<UserRecord | null> {
    const q = this.userRows
      .createQueryBuilder('u')
      .leftJoin(RoadChief, 'c', 'c.userId = u.id')
      .select('u.id', 'id')
      .addSelect('u.username', 'username')
      .addSelect('u.name', 'name')
      .addSelect('u.role', 'role')
      .addSelect('u.streetCode', 'streetCode')
      .addSelect('u.active', 'active')
      .addSelect('c.id', 'chiefId');
    if (withHash) q.addSelect('u.passwordHash', 'passwordHash');
    const row: UserRecord | undefined = await ('username' in where ? q.where('u.username = :username', where) : q.where('u.id = :id', where)).getRawOne();
    return row ?? null;
  }

  /** Every user with role and jurisdiction (street, chief, number of cells), by role and username. */
  list(): Promise<UserEntry[]> {
    return this.db.query(
      `SELECT u.id, u.username, u.name, u.role, u.active, (u.password_hash IS NOT NULL) AS "canLogIn",
              json_build_object(
                'street', u.street_code,
                'chief', CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('id', c.id, 'level', c.level) END,
                'cells', (SELECT count(*)::int FROM warden_cell w WHERE w.user_id = u.id)) AS jurisdiction
         FROM app_user u LEFT JOIN road_chief c ON c.user_id = u.id
        ORDER BY u.role, u.username`,
    );
  }

  /** The active users among `usernames`, and the numbered wardens (warden1, warden2, …). */
  async activeLogins(usernames: readonly string[]): Promise<LoginEntry[]> {
    const rows = await this.userRows.find({
      select: { id: true, username: true, role: true, name: true },
      where: [
        { active: true, username: In([...usernames]) },
        { active: true, username: Raw((column) => `${column} ~ '^warden[0-9]+$'`) },
      ],
    });
    return rows.map((u) => ({ username: u.username, role: u.role, name: u.name }));
  }
}
