import type { EntityManager } from 'typeorm';
import { JobName } from '@wangge/jobs';
import { addJobs } from '@wangge/workflow';
import type { NotificationRequest } from './notification-event';

/**
 * The producers' one line: raises a notification in the caller's transaction. The row and its
 * fan-out job (through the workflow's outbox) commit with the producer's change or not at all;
 * channels and people are looked up and sent to afterwards, on the dispatcher's notifications
 * queue, so no endpoint is ever reached inside a transaction.
 */
export async function notify(m: EntityManager, request: NotificationRequest, at: Date): Promise<string> {
  const id = await raiseNotification(m, request, at);
  await addJobs(m, [{ name: JobName.FanOutNotification, data: { notificationId: id } }]);
  return id;
}

/**
 * The notification's row alone, for a caller that fans it out in the same transaction
 * (`NotificationFanOut.fanOutIn`), so no fan-out job needs to travel the outbox and the queue.
 */
export async function raiseNotification(m: EntityManager, request: NotificationRequest, at: Date): Promise<string> {
  const [row]: { id: string }[] = await m.query(
    `INSERT INTO notification (event, street_code, recipients, subject, at) VALUES ($1, $2, $3::uuid[], $4, $5) RETURNING id`,
    [request.event, request.streetCode ?? null, [...new Set(request.recipients ?? [])], request.subject, at],
  );
  return String(row.id);
}
