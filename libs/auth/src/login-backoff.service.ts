import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { AppError, REDIS } from '@wangge/operations';
import { AuthError } from './auth-error';

/** An account locked after wrong passwords: 429 with the seconds to wait. */
export class LoginLockedError extends AppError<'login_locked'> {
  constructor(retryAfterSeconds: number) {
    super('login_locked', 'too_many', `too many wrong passwords for this account; try again in ${retryAfterSeconds} s / 该账号密码错误次数过多，请 ${retryAfterSeconds} 秒后再试`, {
      retryAfterSeconds,
    });
  }

  override extra() {
    return { retryAfter: this.retryAfterSeconds };
  }
}

/** The first lock, after the free failures; each further wrong password doubles it. */
const FIRST_LOCK_S = 30;

/** How long failures are remembered after the last one. */
const FAILURES_KEPT_S = 24 * 3600;

/**
 * Per-account backoff after wrong passwords, in Redis so that every intake and every client
 * address count together: LOGIN_BACKOFF_FREE_FAILURES wrong passwords in a row are free, each
 * further one locks the account for twice as long as the last (30 s, 60 s, … up to
 * LOGIN_BACKOFF_MAX_S). While locked every attempt is refused unread, the right password too, so
 * guessing from many addresses gains nothing; other accounts behind the same address are not
 * touched. A right password clears the count. Redis out of reach: no backoff (the per-address
 * limit still holds), logins go on.
 */
@Injectable()
export class LoginBackoff {
  private readonly logger = new Logger('login-backoff');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS_NAMESPACE) private readonly keys: RedisNamespace,
  ) {}

  /** Runs `login` unless the account is locked, and counts its wrong password. */
  async attempt<T>(username: string, login: () => Promise<T>): Promise<T> {
    const key = this.keyOf(username);
    const lockedFor = await this.redis.pttl(`${key}:lock`).catch((err: unknown) => this.unavailable(err, -2));
    if (lockedFor > 0) throw new LoginLockedError(Math.ceil(lockedFor / 1000));
    try {
      const result = await login();
      await this.redis.del(`${key}:fails`, `${key}:lock`).catch((err: unknown) => this.unavailable(err, 0));
      return result;
    } catch (err) {
      if (err instanceof AuthError && err.code === 'invalid_credentials') await this.failed(key);
      throw err;
    }
  }

  private async failed(key: string): Promise<void> {
    const { freeFailures, maxLockSeconds } = this.config.login;
    const failures = await this.redis
      .multi()
      .incr(`${key}:fails`)
      .expire(`${key}:fails`, FAILURES_KEPT_S)
      .exec()
      .then((r) => Number(r?.[0]?.[1] ?? 0))
      .catch((err: unknown) => this.unavailable(err, 0));
    if (failures <= freeFailures) return;
    const seconds = Math.min(maxLockSeconds, FIRST_LOCK_S * 2 ** Math.min(failures - freeFailures - 1, 20));
    await this.redis.set(`${key}:lock`, '1', 'EX', seconds).catch((err: unknown) => this.unavailable(err, null));
  }

  /** The account's keys: its name hashed (no user names in Redis), case folded as logins are typed. */
  private keyOf(username: string): string {
    const id = createHash('sha256').update(username.trim().toLowerCase()).digest('hex').slice(0, 32);
    return `${this.keys.prefix}:login:${id}`;
  }

  private unavailable<T>(err: unknown, fallback: T): T {
    this.logger.warn(`login backoff skipped, Redis unavailable: ${err instanceof Error ? err.message : String(err)}`);
    return fallback;
  }
}
