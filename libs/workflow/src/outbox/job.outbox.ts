import type { EntityManager } from 'typeorm';
import type { JobRequest } from '@wangge/jobs';

/**
 * Puts jobs into the outbox, in the caller's transaction, for a change that writes no case event
 * (a case event carries its jobs itself, see appendCaseEvent): the relay queues them once the
 * transaction has committed, so none is lost to a crash and none runs for a rolled-back change.
 */
export async function addJobs(m: EntityManager, jobs: readonly JobRequest[]): Promise<void> {
  if (jobs.length === 0) return;
  await m.query(
    `INSERT INTO outbox (topic, name, payload, deliver_after)
     SELECT 'job', j.name, j.payload, j.deliver_after FROM jsonb_to_recordset($1::jsonb) AS j(name text, payload jsonb, deliver_after timestamptz)`,
    [JSON.stringify(jobs.map((j) => ({ name: j.name, payload: j.data, deliver_after: j.deliverAfter ?? null })))],
  );
}
