import type { ExecutionContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { normalizeIp, ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { callerOf, IntakeThrottlerGuard } from './intake-throttler.guard';

const MINUTE = 60_000;

/**
 * intake's rate limits (see `@RateLimit`): one global guard. Import it after AuthModule, so that
 * its guard runs after the auth guard and knows the caller. Counted in memory, per process:
 * reports keep being accepted while Redis is down (the login backoff, which must be shared, is in Redis).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => ({
        throttlers: [
          // By address even when signed in (uploads: per address, as always).
          { name: 'default', ttl: MINUTE, limit: 60, getTracker: (req: Record<string, unknown>) => `ip:${normalizeIp(String(req.ip ?? 'unknown'))}` },
          {
            name: 'reports',
            ttl: MINUTE,
            limit: (ctx: ExecutionContext) => (callerOf(ctx.switchToHttp().getRequest()) ? c.reportRateLimitStaff : c.reportRateLimit),
          },
          { name: 'reads', ttl: MINUTE, limit: c.readRateLimit },
          { name: 'login', ttl: MINUTE, limit: c.login.perAddressPerMinute },
        ],
        errorMessage: 'too many requests; wait a minute and retry / 请求过于频繁，请稍后再试',
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: IntakeThrottlerGuard }],
})
export class ThrottlingModule {}
