import { Inject, Injectable } from '@nestjs/common';
import { BulletinService } from '@wangge/bulletins';
import { JobName, type JobPayloads } from '@wangge/jobs';
import type { JobHandler } from './job-handler';

/**
 * The daily summary's scheduled job: publishes every daily summary due at the dispatcher's clock
 * and not stored yet (normally yesterday's). The period comes from the clock, not the job, so a
 * late, repeated or doubled job publishes each day once.
 */
@Injectable()
export class PublishDailySummaryHandler implements JobHandler<JobName.PublishDailySummary> {
  readonly name = JobName.PublishDailySummary;

  constructor(@Inject(BulletinService) private readonly bulletins: BulletinService) {}

  handle(_data: JobPayloads[JobName.PublishDailySummary]): Promise<unknown> {
    return this.bulletins.publishDue('daily');
  }
}

/** The weekly bulletin's scheduled job (Mondays): likewise for the previous ISO week. */
@Injectable()
export class PublishWeeklyBulletinHandler implements JobHandler<JobName.PublishWeeklyBulletin> {
  readonly name = JobName.PublishWeeklyBulletin;

  constructor(@Inject(BulletinService) private readonly bulletins: BulletinService) {}

  handle(_data: JobPayloads[JobName.PublishWeeklyBulletin]): Promise<unknown> {
    return this.bulletins.publishDue('weekly');
  }
}
