import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@wangge/clock';
import { JobName, type JobPayloads } from '@wangge/jobs';
import { OrphanMediaPurger, type OrphanPurge } from '@wangge/media';
import type { JobHandler } from './job-handler';

/** The orphan-media purge's scheduled job: deletes the uploads no case holds, as old as MEDIA_ORPHAN_HOURS by the dispatcher's clock. */
@Injectable()
export class PurgeOrphanMediaHandler implements JobHandler<JobName.PurgeOrphanMedia> {
  readonly name = JobName.PurgeOrphanMedia;

  constructor(
    @Inject(OrphanMediaPurger) private readonly purger: OrphanMediaPurger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  handle(_data: JobPayloads[JobName.PurgeOrphanMedia]): Promise<OrphanPurge> {
    return this.purger.purge(this.clock.now());
  }
}
