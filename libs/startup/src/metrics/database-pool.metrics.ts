import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { removeGauges, scrapedLabelledGauge } from '@wangge/operations';

export const DB_POOL_CONNECTIONS = 'wangge_db_pool_connections';

/**
 * The process's PostgreSQL pool, read when /metrics is scraped: connections open (total), of them
 * idle, and queries waiting for a connection (waiting > 0 for long = the pool, DB_POOL_SIZE, is too small).
 */
@Injectable()
export class DatabasePoolMetrics implements OnModuleDestroy {
  private readonly gauge;

  constructor(@InjectDataSource() db: DataSource) {
    this.gauge = scrapedLabelledGauge(DB_POOL_CONNECTIONS, 'PostgreSQL pool connections of this process, by state (total, idle, waiting = queries waiting for one)', ['state'], () => {
      const pool = (db.driver as PostgresDriver).master as Pool | undefined;
      if (!pool) throw new Error('the database pool is not open');
      return [
        { labels: { state: 'total' }, value: pool.totalCount },
        { labels: { state: 'idle' }, value: pool.idleCount },
        { labels: { state: 'waiting' }, value: pool.waitingCount },
      ];
    });
  }

  onModuleDestroy(): void {
    removeGauges(this.gauge);
  }
}
