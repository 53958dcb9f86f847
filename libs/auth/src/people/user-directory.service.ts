import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, Raw, type DataSource, type Repository } from 'typeorm';
import { User, WardenCell, type ChiefLevel, type Role } from '@wangge/domain';

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
