import { Inject, Injectable } from '@nestjs/common';
import { UserDirectory, type AuthUser } from '@wangge/auth';
import { ANONYMOUS_CITIZEN, type Actor } from './actor';

/**
 * Turns the authenticated caller of an HTTP request into an {@link Actor}, with a warden's cells from
 * the people's directory (as read within the last second, like the caller's token check).
 */
@Injectable()
export class ActorService {
  constructor(@Inject(UserDirectory) private readonly users: UserDirectory) {}

  async of(user: AuthUser | undefined): Promise<Actor> {
    if (!user) return ANONYMOUS_CITIZEN;
    const cellCodes: ReadonlySet<string> = user.role === 'warden' ? await this.users.wardenCells(user.id, { recent: true }) : new Set();
    return { id: user.id, role: user.role, name: user.name, chiefId: user.chiefId, cellCodes, streetCode: user.streetCode, departmentCode: user.departmentCode ?? null, ledDepartmentCode: user.ledDepartmentCode ?? null };
  }
}
