import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { REDIS } from '@wangge/operations';

/**
 * After a change committed its outbox rows (feed notices, timers): hints the outbox relays (every
 * process runs one) to drain now rather than at their next poll, as bulletins do. Without Redis
 * (the demo seed) nothing is sent: the relays poll anyway.
 */
@Injectable()
export class OutboxHint {
  constructor(
    @Inject(REDIS) private readonly redis: Pick<Redis, 'status' | 'publish'>,
    @Inject(REDIS_NAMESPACE) private readonly keys: Pick<RedisNamespace, 'outboxHints'>,
  ) {}

  send(): void {
    if (this.redis.status === 'ready') this.redis.publish(this.keys.outboxHints, '1').catch(() => undefined);
  }
}
