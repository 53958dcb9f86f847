import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { recordAudit } from '@wangge/audit';
import { AuthError } from './auth-error';
import type { AuthUser } from './auth-user';
import { hashPassword, verifyPassword } from './password';
import { checkPasswordPolicy } from './password-policy';
import { UserDirectory } from './people/user-directory.service';

/**
 * A user changes their own password (`POST /api/v1/auth/password`): the way out of a one-time
 * password, and open to every signed-in user. The new password must pass the policy; the change and
 * its audit entry (`user.password_change`, the user as actor, no secret) commit together.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(UserDirectory) private readonly users: UserDirectory,
  ) {}

  async change(user: AuthUser, current: string, next: string): Promise<void> {
    if (!(await verifyPassword(current, await this.users.passwordHash(user.id)))) {
      throw new AuthError('wrong_password', 'invalid input: current', { details: [{ field: 'current', problem: 'the current password is wrong / 当前密码不正确' }] });
    }
    const refusal = current === next ? 'the new password must differ from the current one / 新密码不能与当前密码相同' : checkPasswordPolicy(next, user.username);
    if (refusal) throw new AuthError('password_refused', 'the new password was refused / 新密码不符合要求', { details: [{ field: 'next', problem: refusal }] });
    const hash = await hashPassword(next);
    await this.db.transaction(async (tx) => {
      await this.users.setPassword(tx, user.id, hash, false);
      await recordAudit(tx, {
        actor: { id: user.id, username: user.username },
        action: 'user.password_change',
        entity: 'user',
        entityId: user.id,
        streetCode: user.streetCode,
      });
    });
  }
}
