import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { cronPattern } from '@wangge/bulletins';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { DEFAULT_JOB_OPTIONS, JobName, JobQueue, QueueName } from '@wangge/jobs';

/** The job schedulers' ids in the bulletins queue. */
export const BULLETIN_SCHEDULERS = { daily: 'daily-summary', weekly: 'weekly-bulletin' } as const;

/**
 * Puts the bulletins' BullMQ job schedulers in place at start: the daily summary every day at
 * EVALUATION_DAILY_AT, the weekly bulletin on Mondays at EVALUATION_WEEKLY_AT, both read in
 * TIME_ZONE. An upsert: every dispatcher may do it, a changed setting replaces the schedule, and
 * Redis keeps only the next run of each (a worker that was down runs it when it is back).
 */
@Injectable()
export class BulletinSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger('bulletins');

  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Settles when the schedulers are in place (or could not be put there). */
  ready: Promise<void> = Promise.resolve();

  onApplicationBootstrap(): void {
    // Not awaited: the worker connection waits for a Redis that is away, and start must not. The
    // schedulers live in Redis, so until this lands the previous ones (if any) stay in force.
    this.ready = this.upsert().catch((e: unknown) => this.logger.warn(`bulletin schedules not updated: ${String(e)}`));
  }

  async upsert(): Promise<void> {
    const queue = this.queue.queue(QueueName.Bulletins);
    const { removeOnComplete, removeOnFail, attempts, backoff } = DEFAULT_JOB_OPTIONS;
    const opts = { removeOnComplete, removeOnFail, attempts, backoff };
    await queue.upsertJobScheduler(
      BULLETIN_SCHEDULERS.daily,
      { pattern: cronPattern('daily', this.config.bulletins.dailyAt), tz: this.config.timeZone },
      { name: JobName.PublishDailySummary, data: {}, opts },
    );
    await queue.upsertJobScheduler(
      BULLETIN_SCHEDULERS.weekly,
      { pattern: cronPattern('weekly', this.config.bulletins.weeklyAt), tz: this.config.timeZone },
      { name: JobName.PublishWeeklyBulletin, data: {}, opts },
    );
  }
}
