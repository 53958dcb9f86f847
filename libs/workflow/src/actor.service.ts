import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '@wangge/auth';
import { ANONYMOUS_CITIZEN, type Actor } from './actor';

/** Turns the authenticated caller into an {@link Actor}, with a warden's cells read from the database. */
@Injectable()
export class ActorService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async of(user: AuthUser | undefined): Promise<Actor> {
    if (!user) return ANONYMOUS_CITIZEN;
    let cellCodes: ReadonlySet<string> = new Set();
    if (user.role === 'warden') {
      const rows: { cell_code: string }[] = await this.db.query(`SELECT cell_code FROM warden_cell WHERE user_id = $1`, [user.id]);
      cellCodes = new Set(rows.map((r) => r.cell_code));
    }
    return { id: user.id, role: user.role, name: user.name, chiefId: user.chiefId, cellCodes, streetCode: user.streetCode };
  }
}
