import type { EntityManager } from 'typeorm';
import type { JobRequest } from '@wangge/jobs';

/** Adds jobs to the outbox in the caller's transaction; the relay moves them to BullMQ after commit. */
export async function addJobs(m: EntityManager, jobs: readonly JobRequest[]): Promise<void> {
  for (const job of jobs) {
    await m.query(`INSERT INTO outbox (topic, name, payload, deliver_after) VALUES ('job', $1, $2, $3)`, [
      job.name,
      job.data,
      job.deliverAfter ?? null,
    ]);
  }
}
