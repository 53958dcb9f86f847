import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ChiefRosterService, DepartmentDirectory } from '@wangge/chiefs';
import { CLOCK, type Clock } from '@wangge/clock';
import type { EventState } from '@wangge/events';
import { JobName, type JobRequest } from '@wangge/jobs';
import { OutboxRelay, addJobs, CASE_EVENT_LOG_SQL, CASE_HEADER_SQL } from '@wangge/workflow';
import { NotificationFanOut } from './fan-out.service';
import type { NotificationEvent, NotificationRequest, NotificationSubject } from './notification-event';
import { notify, raiseNotifications } from './notify';

/** The case events that notify someone, and the notification each raises. */
export const CASE_EVENT_NOTIFICATIONS: Readonly<Record<string, NotificationEvent>> = {
  'case.dispatched': 'task.assigned',
  'case.rerouted': 'task.assigned',
  'case.escalated': 'task.escalated',
  'case.overdue': 'task.overdue',
  'case.supervised': 'case.supervised',
};

/** `task.due_soon` is sent this long before a task's deadline. */
export const DUE_SOON_MS = 3_600_000;
const BATCH = 500;

const TITLES: Readonly<Record<NotificationEvent, string>> = {
  'task.assigned': '新任务 / New task',
  'task.escalated': '案卷升级 / Case escalated to you',
  'task.due_soon': '任务即将到期 / Task due within the hour',
  'task.overdue': '任务已超期 / Task overdue',
  'case.supervised': '领导督办 / Supervised by a leader',
  'inspection.due': '巡查到期 / Inspection due',
  'inspection.missed': '巡查漏检 / Inspection missed',
  'duty.missed': '值守缺岗 / Duty missed',
  'milestone.overdue': '节点超期 / Milestone overdue',
  'bulletin.published': '通报已发布 / Bulletin published',
};

/** The title every destination shows for an event (zh-CN / English). */
export function titleOf(event: NotificationEvent): string {
  return TITLES[event];
}

interface EventRow {
  case_id: string;
  seq: string;
  type: string;
  at: Date;
  evidence: Record<string, unknown> | null;
  state: Partial<EventState> | null;
  code: string | null;
  street_code: string | null;
}

/**
 * Derives notifications from case events after the fact, so the workflow's transitions stay as they
 * are (no lookup, no endpoint in their transaction): the dispatcher reads the events past its
 * watermark (`notification_watermark`, locked: one reader at a time across processes) and raises
 * `task.assigned` (dispatch, re-routing), `task.escalated`, `task.overdue` and `case.supervised` to
 * the chiefs concerned, fans them out to their deliveries and queues the `task.due_soon` check an
 * hour before each new deadline, all in the transaction that moves the watermark: a pass's
 * notifications need no fan-out job, and the chiefs' accounts are read once for the whole pass.
 */
@Injectable()
export class CaseEventNotifier {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(ChiefRosterService) private readonly chiefs: ChiefRosterService,
    @Inject(DepartmentDirectory) private readonly departments: DepartmentDirectory,
    @Inject(NotificationFanOut) private readonly fanOut: NotificationFanOut,
  ) {}

  /** One pass: the events past the watermark (at most a batch). Returns the notifications it raised, fanned out. */
  async run(): Promise<string[]> {
    // Most passes of a quiet district find nothing: one read says so, without a transaction and its lock.
    const [news]: { any: boolean | null }[] = await this.db.query(
      `SELECT (SELECT coalesce(max(seq), 0) FROM ${CASE_EVENT_LOG_SQL} e) > (SELECT seq FROM notification_watermark WHERE id = 1) AS any`,
    );
    if (news && news.any === false) return [];
    const raised = await this.db.transaction(async (m): Promise<string[]> => {
      const [mark]: { seq: string }[] = await m.query(`SELECT seq FROM notification_watermark WHERE id = 1 FOR UPDATE SKIP LOCKED`);
      if (!mark) {
        // The first pass starts at the newest event: the history before notifications is not sent.
        await m.query(`INSERT INTO notification_watermark (id, seq) SELECT 1, coalesce(max(seq), 0) FROM ${CASE_EVENT_LOG_SQL} e ON CONFLICT (id) DO NOTHING`);
        return [];
      }
      // One statement, one snapshot: the newest seq and the events up to it (events commit in seq order).
      const rows: (EventRow & { top: string | null })[] = await m.query(
        `WITH top AS (SELECT max(seq) AS top FROM ${CASE_EVENT_LOG_SQL} t WHERE t.seq > $1)
         SELECT top.top, e.case_id, e.seq, e.type, e.at, e.evidence, e.state, h.code, h.street_code
           FROM top LEFT JOIN LATERAL (
             SELECT * FROM ${CASE_EVENT_LOG_SQL} x WHERE x.seq > $1 AND x.seq <= top.top AND x.type = ANY($2) ORDER BY x.seq LIMIT $3) e ON true
           LEFT JOIN ${CASE_HEADER_SQL} h ON h.case_id = e.case_id
          ORDER BY e.seq`,
        [mark.seq, Object.keys(CASE_EVENT_NOTIFICATIONS), BATCH],
      );
      const top = rows[0]?.top;
      if (!top) return [];
      const events = rows.filter((r) => r.seq !== null);
      const accounts = await this.chiefs.accountsOf(events.flatMap((e) => chiefsOf(e)), m);
      const requests: NotificationRequest[] = [];
      const dueSoon: JobRequest[] = [];
      for (const e of events) requests.push(await this.requestOf(m, e, accounts, dueSoon));
      const raised = await raiseNotifications(m, requests, this.clock.now());
      await addJobs(m, dueSoon);
      await this.fanOut.fanOutIn(m, raised);
      const next = events.length === BATCH ? events[events.length - 1].seq : top;
      await m.query(`UPDATE notification_watermark SET seq = $1 WHERE id = 1`, [next]);
      return raised;
    });
    if (raised.length > 0) this.relay.wake();
    return raised;
  }

  /** The notification an event raises (the pass writes them all at once); its due-soon check goes to `dueSoon`. */
  private async requestOf(m: EntityManager, e: EventRow, accounts: ReadonlyMap<number, string>, dueSoon: JobRequest[]): Promise<NotificationRequest> {
    const event = CASE_EVENT_NOTIFICATIONS[e.type];
    const state = e.state ?? {};
    // A department's task (domain.md 9) is its members' to hear of; an escalation still goes to the chiefs it names.
    const departmentCode = event !== 'task.escalated' ? state.department?.code : undefined;
    const recipients = departmentCode
      ? await this.departments.membersOf(m, departmentCode)
      : [...new Set(chiefsOf(e))].flatMap((id) => accounts.get(id) ?? []);
    const lines: string[] = [];
    if (typeof e.evidence?.instruction === 'string') lines.push(e.evidence.instruction);
    if (state.deadlineAt) lines.push(`期限 / Due: ${state.deadlineAt}`);
    const subject: NotificationSubject = { title: titleOf(event), caseId: e.case_id, caseCode: e.code ?? undefined, path: `/cases/${e.case_id}`, lines };
    if (event === 'task.assigned' && state.assignee && state.deadlineAt) {
      const soon = new Date(new Date(state.deadlineAt).getTime() - DUE_SOON_MS);
      dueSoon.push({ name: JobName.CheckDueSoon, data: { caseId: e.case_id, deadlineAt: state.deadlineAt, chiefId: state.assignee.id }, deliverAfter: soon });
    }
    return { event, recipients, streetCode: e.street_code, subject };
  }

  /**
   * The `task.due_soon` check: raised when the case is still open with the same assignee and
   * deadline and not yet overdue; otherwise (done, re-assigned, extended) nothing. Returns whether it was raised.
   */
  async dueSoon(data: { caseId: string; deadlineAt: string; chiefId: number }): Promise<boolean> {
    const raised = await this.db.transaction(async (m) => {
      const [last]: { state: Partial<EventState> | null; status: string; code: string; street_code: string | null }[] = await m.query(
        `SELECT e.state, h.status, h.code, h.street_code FROM ${CASE_EVENT_LOG_SQL} e JOIN ${CASE_HEADER_SQL} h ON h.case_id = e.case_id
          WHERE e.case_id = $1 AND e.state IS NOT NULL ORDER BY e.seq DESC LIMIT 1`,
        [data.caseId],
      );
      if (!last?.state || !['dispatched', 'in_progress'].includes(last.status)) return false;
      const s = last.state;
      if (s.overdue || s.assignee?.id !== data.chiefId || !s.deadlineAt || new Date(s.deadlineAt).getTime() !== new Date(data.deadlineAt).getTime()) return false;
      const recipients = [...(await this.chiefs.accountsOf([data.chiefId], m)).values()];
      const subject: NotificationSubject = {
        title: titleOf('task.due_soon'),
        caseId: data.caseId,
        caseCode: last.code,
        path: `/cases/${data.caseId}`,
        lines: [`期限 / Due: ${s.deadlineAt}`],
      };
      await notify(m, { event: 'task.due_soon', recipients, streetCode: last.street_code, subject }, this.clock.now());
      return true;
    });
    if (raised) this.relay.wake();
    return raised;
  }
}

/** The chiefs an event's notification goes to: the new chiefs of an escalation, else the assignee. */
function chiefsOf(e: EventRow): number[] {
  const state = e.state ?? {};
  if (CASE_EVENT_NOTIFICATIONS[e.type] === 'task.escalated') return (state.escalatedTo ?? []).filter((id) => !(state.formerChiefs ?? []).includes(id));
  return state.assignee ? [state.assignee.id] : [];
}
