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
  const [id] = await raiseNotifications(m, [request], at);
  await addJobs(m, [{ name: JobName.FanOutNotification, data: { notificationId: id } }]);
  return id;
}

/**
 * The notifications' rows alone, in one statement, their ids in the order of `requests`: for a caller
 * that fans them out in the same transaction (`NotificationFanOut.fanOutIn`), so no fan-out job needs
 * to travel the outbox and the queue.
 */
export async function raiseNotifications(m: EntityManager, requests: readonly NotificationRequest[], at: Date): Promise<string[]> {
  if (requests.length === 0) return [];
  const rows: { id: string }[] = await m.query(
    `INSERT INTO notification (event, street_code, recipients, subject, at)
     SELECT r.n->>'event', r.n->>'street_code', ARRAY(SELECT jsonb_array_elements_text(r.n->'recipients'))::uuid[], r.n->'subject', $2
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS r(n, ord)
      ORDER BY r.ord
     RETURNING id`,
    [JSON.stringify(requests.map((r) => ({ event: r.event, street_code: r.streetCode ?? null, recipients: [...new Set(r.recipients ?? [])], subject: r.subject }))), at],
  );
  // Ids come from one sequence in insert order, which is the requests' order.
  return rows.map((r) => String(r.id)).sort((a, b) => Number(a) - Number(b));
}
