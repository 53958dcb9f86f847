import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PURGE_IDEMPOTENCY_KEYS_SQL } from './idempotency-key.sql';

/** Idempotency keys answer retries for a day; then they are deleted. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
const PURGE_EVERY_MS = 10 * 60_000;

@Injectable()
export class IdempotencyKeyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('idempotency');
  private timer: NodeJS.Timeout | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge().catch((e: unknown) => this.logger.warn(String(e))), PURGE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async purge(): Promise<void> {
    await this.db.query(PURGE_IDEMPOTENCY_KEYS_SQL, [IDEMPOTENCY_KEY_TTL_HOURS]);
  }
}
