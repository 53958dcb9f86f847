import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { removeGauges, scrapedGauge, sharedRead } from '@wangge/operations';
import { OutboxRelay } from './outbox/outbox-relay.service';

interface WorkflowReading {
  pending: number;
  oldestAgeSeconds: number;
  lastSeq: number;
}

/**
 * Prometheus gauges of the outbox and the case events, read when /metrics is scraped: one query
 * for all three (the outbox is small, as the relays keep emptying it; max(seq) is read from the
 * end of case_event's primary key), and this process's relay counters.
 */
@Injectable()
export class WorkflowMetrics implements OnModuleDestroy {
  private readonly gauges: Gauge[];

  constructor(@InjectDataSource() db: DataSource, @Inject(OutboxRelay) relay: OutboxRelay) {
    const read = sharedRead(async (): Promise<WorkflowReading> => {
      const [row] = (await db.query(
        `SELECT o.pending, o.oldest_age_seconds, (SELECT max(seq) FROM case_event)::text AS last_seq
           FROM (SELECT count(*)::int AS pending,
                        COALESCE(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8 AS oldest_age_seconds
                   FROM outbox) o`,
      )) as { pending: number; oldest_age_seconds: number; last_seq: string | null }[];
      return { pending: row.pending, oldestAgeSeconds: Math.max(0, row.oldest_age_seconds), lastSeq: Number(row.last_seq ?? 0) };
    });
    this.gauges = [
      scrapedGauge('wangge_outbox_pending', 'Outbox rows waiting to be relayed (to a queue or the feed stream)', async () => (await read()).pending),
      scrapedGauge('wangge_outbox_oldest_age_seconds', 'Age of the oldest outbox row in seconds (0 when the outbox is empty)', async () => (await read()).oldestAgeSeconds),
      scrapedGauge('wangge_case_event_last_seq', 'Newest committed case-event seq (with wangge_feed_last_seq: how far a feed node is behind)', async () => (await read()).lastSeq),
      scrapedGauge('wangge_outbox_delivered_total', "Outbox rows this process's relay has delivered", () => relay.counters.delivered),
      scrapedGauge('wangge_outbox_failed_total', "Outbox row deliveries by this process's relay that failed (each row once per attempt)", () => relay.counters.failed),
    ];
  }

  onModuleDestroy(): void {
    removeGauges(...this.gauges);
  }
}
