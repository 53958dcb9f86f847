import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_JOB_OPTIONS, JobName, JobQueue, QueueName } from '@wangge/jobs';

/** The job scheduler's id in the maintenance queue. */
export const ORPHAN_MEDIA_SCHEDULER = 'purge-orphan-media';

/** How often the purge runs: an orphan lives at most MEDIA_ORPHAN_HOURS and this much. */
export const ORPHAN_MEDIA_PURGE_EVERY_MS = 15 * 60_000;

/**
 * Puts the orphan-media purge's BullMQ job scheduler in place at start (every 15 minutes). An
 * upsert, like the bulletins' schedules: every dispatcher may do it; Redis keeps one schedule.
 */
@Injectable()
export class OrphanMediaSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('media');

  constructor(@Inject(JobQueue) private readonly queue: JobQueue) {}

  /** Settles when the scheduler is in place (or could not be put there). */
  ready: Promise<void> = Promise.resolve();

  onApplicationBootstrap(): void {
    // Not awaited: the worker connection waits for a Redis that is away, and start must not.
    this.ready = this.upsert().catch((e: unknown) => this.logger.warn(`orphan media purge not scheduled: ${String(e)}`));
  }

  async upsert(): Promise<void> {
    const { removeOnComplete, removeOnFail, attempts, backoff } = DEFAULT_JOB_OPTIONS;
    await this.queue
      .queue(QueueName.Maintenance)
      .upsertJobScheduler(ORPHAN_MEDIA_SCHEDULER, { every: ORPHAN_MEDIA_PURGE_EVERY_MS }, { name: JobName.PurgeOrphanMedia, data: {}, opts: { removeOnComplete, removeOnFail, attempts, backoff } });
  }
}
