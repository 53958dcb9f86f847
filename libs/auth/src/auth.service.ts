import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { isRole, type Role } from '@wangge/domain';
import { AuthError } from './auth-error';
import type { AccessTokenClaims, AuthUser } from './auth-user';
import { hashPassword, needsRehash, SCRYPT_COST, verifyPassword } from './password';
import { DEMO_PASSWORD_REFUSED, isRefusedDemoPassword } from './people/demo-passwords';
import { RecentSessions, type RecentSession } from './people/recent-sessions';
import { UserDirectory, type UserRecord } from './people/user-directory.service';

export interface LoginResult {
  accessToken: string;
  /** A one-time password was used: the token may only call `POST /api/v1/auth/password` until it is changed. */
  passwordChangeRequired: boolean;
  user: { id: string; name: string; role: Role };
}

export interface AuthenticateOptions {
  /** The endpoint changes the caller's password: a one-time password's token may call it. */
  allowPasswordChange?: boolean;
  /**
   * The token's check of the last second may answer (RecentSessions): HTTP requests, which come one
   * after another from a signed-in client. Absent: verified and re-read now (a socket's handshake).
   */
  recent?: boolean;
}

// A hash at the current cost, checked when the username is unknown so that timing does not tell.
const DUMMY_HASH = `scrypt$${SCRYPT_COST.N}$${SCRYPT_COST.r}$${SCRYPT_COST.p}$AAAAAAAAAAAAAAAAAAAAAA==$u6yQmHh0m1r0yq2WZr3CkqTgK3Yh0cW4V8r5k0y9m1Q=`;

@Injectable()
export class AuthService {
  constructor(
    @Inject(UserDirectory) private readonly users: UserDirectory,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RecentSessions) private readonly recentSessions: RecentSessions,
  ) {}

  async login(username: string, password: string): Promise<LoginResult> {
    // Refused whoever asks, before the account is looked at: the answer tells nothing about it.
    if (isRefusedDemoPassword(this.config, password)) throw DEMO_PASSWORD_REFUSED();
    const row = await this.users.byUsername(username);
    const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
    if (!row || !ok || !row.active) {
      throw new AuthError('invalid_credentials', 'wrong username or password / 用户名或密码错误');
    }
    // A hash of an older cost is replaced now, while the password is at hand (SCRYPT_COST).
    if (row.passwordHash && needsRehash(row.passwordHash)) await this.users.rehashPassword(row.id, row.passwordHash, await hashPassword(password));
    const user = toAuthUser(row);
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, username: user.username, ver: row.sessionVersion };
    return {
      accessToken: await this.jwt.signAsync(claims),
      passwordChangeRequired: row.passwordChangeRequired,
      user: { id: user.id, name: user.name, role: user.role },
    };
  }

  /**
   * Verifies a bearer token and re-reads the user, so a deactivated user, a changed role or ended
   * sessions (a token older than the account's session version) take effect at once (with `recent`:
   * within RECENT_SESSION_MS, at once when changed through this process). The token of a one-time
   * password is refused (403 `password_change_required`) unless the endpoint changes it.
   */
  async authenticate(token: string, options: AuthenticateOptions = {}): Promise<AuthUser> {
    let session = options.recent ? this.recentSessions.get(token) : undefined;
    if (!session) {
      session = await this.verify(token);
      if (options.recent) this.recentSessions.keep(token, session);
    }
    const { claims, user: row } = session;
    if (!row.active) {
      throw new AuthError('invalid_token', 'the account no longer exists or is disabled / 账号不存在或已停用');
    }
    if ((claims.ver ?? 0) !== row.sessionVersion) {
      throw new AuthError('session_ended', 'this session was ended (password reset or account change); log in again / 会话已结束，请重新登录');
    }
    if (row.passwordChangeRequired && !options.allowPasswordChange) {
      throw new AuthError('password_change_required', 'set a new password first: POST /api/v1/auth/password {current, next} / 请先设置新密码');
    }
    return toAuthUser(row);
  }

  /** The token's claims, checked (signature, issuer, expiry), and its user as stored now. */
  private async verify(token: string): Promise<RecentSession> {
    let claims: RecentSession['claims'];
    try {
      claims = await this.jwt.verifyAsync<RecentSession['claims']>(token);
    } catch (err) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw new AuthError(
        expired ? 'token_expired' : 'invalid_token',
        expired ? 'the access token has expired; log in again / 登录已过期，请重新登录' : 'invalid access token / 无效的访问令牌',
      );
    }
    const row = typeof claims.sub === 'string' && /^[0-9a-f-]{36}$/i.test(claims.sub) ? await this.users.byId(claims.sub) : null;
    if (!row) throw new AuthError('invalid_token', 'the account no longer exists or is disabled / 账号不存在或已停用');
    return { claims, user: row };
  }
}

function toAuthUser(row: UserRecord): AuthUser {
  if (!isRole(row.role)) throw new Error(`user ${row.username} has an unknown role ${row.role}`);
  return { id: row.id, username: row.username, name: row.name, role: row.role, streetCode: row.streetCode, chiefId: row.chiefId, departmentCode: row.departmentCode ?? null, ledDepartmentCode: row.ledDepartmentCode ?? null };
}
