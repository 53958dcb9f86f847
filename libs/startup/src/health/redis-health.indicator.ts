import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { REDIS } from '@wangge/operations';

/** Redis answers; the result names the Redis database and the key prefix this process uses. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_NAMESPACE) private readonly keys: RedisNamespace,
  ) {}

  check(key = 'redis') {
    return this.health
      .check(key)
      .attempt(async () => {
        const pong = await this.redis.ping();
        if (pong !== 'PONG') throw new Error(`unexpected answer ${pong}`);
        return { db: this.redis.options.db ?? 0, keyPrefix: this.keys.prefix, databaseId: this.keys.databaseId };
      })
      .withTimeout(1500);
  }
}
