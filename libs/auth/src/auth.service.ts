import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isRole, type Role } from '@wangge/domain';
import { ApiError } from '@wangge/operations';
import type { AccessTokenClaims, AuthUser } from './auth-user';
import { verifyPassword } from './password';
import { UserDirectory, type UserRecord } from './people/user-directory.service';

export interface LoginResult {
  accessToken: string;
  user: { id: string; name: string; role: Role };
}

// A hash of a random password, checked when the username is unknown so that timing does not tell.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$u6yQmHh0m1r0yq2WZr3CkqTgK3Yh0cW4V8r5k0y9m1Q=';

@Injectable()
export class AuthService {
  constructor(
    @Inject(UserDirectory) private readonly users: UserDirectory,
    @Inject(JwtService) private readonly jwt: JwtService,
  ) {}

  async login(username: string, password: string): Promise<LoginResult> {
    const row = await this.users.byUsername(username);
    const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
    if (!row || !ok || !row.active) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'invalid_credentials', 'wrong username or password / 用户名或密码错误');
    }
    const user = toAuthUser(row);
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, username: user.username };
    return { accessToken: await this.jwt.signAsync(claims), user: { id: user.id, name: user.name, role: user.role } };
  }

  /** Verifies a bearer token and re-reads the user, so a deactivated user or a changed role takes effect at once. */
  async authenticate(token: string): Promise<AuthUser> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch (err) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        expired ? 'token_expired' : 'invalid_token',
        expired ? 'the access token has expired; log in again / 登录已过期，请重新登录' : 'invalid access token / 无效的访问令牌',
      );
    }
    const row = typeof claims.sub === 'string' && /^[0-9a-f-]{36}$/i.test(claims.sub) ? await this.users.byId(claims.sub) : null;
    if (!row || !row.active) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'invalid_token', 'the account no longer exists or is disabled / 账号不存在或已停用');
    }
    return toAuthUser(row);
  }
}

function toAuthUser(row: UserRecord): AuthUser {
  if (!isRole(row.role)) throw new Error(`user ${row.username} has an unknown role ${row.role}`);
  return { id: row.id, username: row.username, name: row.name, role: row.role, streetCode: row.streetCode, chiefId: row.chiefId };
}
