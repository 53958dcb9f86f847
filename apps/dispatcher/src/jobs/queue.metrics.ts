import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { ALL_QUEUES, JobQueue } from '@wangge/jobs';
import { removeGauges, scrapedGauge, scrapedLabelledGauge, type LabelledValue } from '@wangge/operations';
import { ForeignJobsCensus } from './foreign-jobs.census';
import { JobHandlerRegistry } from './job-handler';

/** The job states an operator watches: work piling up (waiting, delayed), in hand (active), given up (failed). */
export const WATCHED_JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** How long a scrape waits for Redis before the queue gauges show NaN. */
const QUEUE_READ_TIMEOUT_MS = 1000;

/**
 * Prometheus gauge of the dispatcher's queues, read when /metrics is scraped: jobs of every queue
 * by state. While Redis is down or slow the gauge shows NaN and /metrics still answers at once
 * (the worker connection would otherwise hold a command until Redis returns).
 */
@Injectable()
export class QueueMetrics implements OnModuleDestroy {
  private readonly gauges: Gauge<string>[];

  constructor(
    @Inject(JobQueue) jobs: JobQueue,
    @Inject(JobHandlerRegistry) registry: JobHandlerRegistry,
    @Inject(ForeignJobsCensus) census: ForeignJobsCensus,
  ) {
    const labelSets = ALL_QUEUES.flatMap((queue) => WATCHED_JOB_STATES.map((state) => ({ queue: String(queue), state: String(state) })));
    const byState = scrapedLabelledGauge(
      'wangge_queue_jobs',
      'Jobs on each BullMQ queue by state (waiting, active, delayed, failed); NaN while Redis does not answer',
      ['queue', 'state'],
      async () => {
        const counts = await Promise.all(
          ALL_QUEUES.map(async (name) => {
            const queue = jobs.queue(name);
            const client = await queue.getBackend().client;
            if (client.status !== 'ready') throw new Error(`redis is ${client.status}`);
            return { queue: String(name), counts: await queue.getJobCounts(...WATCHED_JOB_STATES) };
          }),
        );
        return counts.flatMap(({ queue, counts: byState }): LabelledValue<'queue' | 'state'>[] =>
          WATCHED_JOB_STATES.map((state) => ({ labels: { queue, state }, value: byState[state] ?? 0 })),
        );
      },
      { timeoutMs: QUEUE_READ_TIMEOUT_MS, labelSets },
    );
    this.gauges = [
      byState,
      scrapedGauge('wangge_jobs_case_missing_total', 'Jobs given up at once because their case does not exist (since this process started)', () => registry.counters.caseMissing),
      scrapedGauge(
        'wangge_redis_foreign_queue_prefixes',
        "Queue key prefixes in this Redis that are not this database's (other databases, older versions); NaN until the start-up census ran",
        () => census.result?.prefixes.length ?? NaN,
      ),
    ];
  }

  onModuleDestroy(): void {
    removeGauges(...this.gauges);
  }
}
