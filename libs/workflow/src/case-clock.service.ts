import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DepartmentDirectory } from '@wangge/chiefs';
import { addTimeLimit, CLOCK, type Clock } from '@wangge/clock';
import { LocateService } from '@wangge/geo';
import { JobName } from '@wangge/jobs';
import { SYSTEM_ACTOR } from './actor';
import { BusinessCalendarService } from './business-calendar.service';
import { appendCaseEvent } from './case-events.store';
import { CaseLimitService } from './case-limit.service';
import type { CaseRow } from './case-row';
import { CaseWorkflowService, loadCase } from './case-workflow.service';
import { decideClockCheck, escalatedDraft, escalationStep, overdueDraft, verificationOverdueDraft } from './clock-check';
import { OutboxRelay } from './outbox/outbox-relay.service';

export type ClockOutcome =
  | { kind: 'stale' }
  | { kind: 'early'; at: Date }
  | { kind: 'overdue'; escalatedTo: number | null; nextCheckAt: Date | null }
  | { kind: 'verification_overdue' }
  /** The case's suspension (挂账) ended at its `until`: the workflow resumed it. */
  | { kind: 'resumed' };

/**
 * Runs a case's clock when a check comes due: marks it overdue, escalates it one chief level up
 * and sets the next check one more limit away; or marks a missed verification. Under the case's
 * row lock and conditional on `next_check_at`, so a check delivered twice (or after a restart)
 * acts once.
 */
@Injectable()
export class CaseClockService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LocateService) private readonly locator: LocateService,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CaseLimitService) private readonly limits: CaseLimitService,
    @Inject(CaseWorkflowService) private readonly workflow: CaseWorkflowService,
    @Inject(DepartmentDirectory) private readonly departments: DepartmentDirectory,
  ) {}

  async check(caseId: string, dueAt: Date): Promise<ClockOutcome> {
    const outcome = await this.db.transaction((m) => this.checkIn(m, caseId, dueAt));
    if (outcome.kind === 'overdue' || outcome.kind === 'verification_overdue' || outcome.kind === 'resumed') this.relay.wake();
    return outcome;
  }

  private async checkIn(m: EntityManager, caseId: string, dueAt: Date): Promise<ClockOutcome> {
    const locked: unknown[] = await m.query(`SELECT id FROM case_file WHERE id = $1 FOR UPDATE`, [caseId]);
    if (locked.length === 0) return { kind: 'stale' };
    const row = await loadCase(m, caseId);
    const now = this.clock.now();
    if (row.suspended_at !== null) return this.suspendedCheck(m, row, dueAt, now);
    const decision = decideClockCheck(
      {
        status: row.status,
        overdue: row.overdue,
        escalationLevel: row.escalation_level,
        nextCheckAt: row.next_check_at ? new Date(row.next_check_at) : null,
        verifyDeadlineAt: row.verify_deadline_at ? new Date(row.verify_deadline_at) : null,
        verifyOverdue: row.verify_overdue,
      },
      dueAt,
      now,
    );
    if (decision.kind === 'stale' || decision.kind === 'early') return decision;

    if (decision.kind === 'verification_missed') {
      await m.query(`UPDATE case_file SET verify_overdue = true, next_check_at = NULL, updated_at = $2 WHERE id = $1`, [caseId, now]);
      const marked = await loadCase(m, caseId);
      await appendCaseEvent(
        m,
        marked,
        verificationOverdueDraft(row.status, dueAt),
        SYSTEM_ACTOR,
        now,
        { light: await this.limits.lightAt(m, marked, now) },
      );
      return { kind: 'verification_overdue' };
    }

    // A department's case climbs from its coordinating chief's level (domain.md 9); its members (the
    // leader among them) hold it all along, and the escalation's event names the leader.
    const baseChief = row.assignee_chief_id ?? row.coordinator_chief_id;
    const baseLevel = row.assignee_chief_id !== null ? row.assignee_level : row.coordinator_level;
    const holding = baseChief !== null ? [baseChief, ...row.escalated_to] : [];
    const escalating = decision.mayEscalate && baseChief !== null;
    const levels: { level: number }[] = escalating ? await m.query(`SELECT level FROM road_chief WHERE id = ANY($1::int[])`, [holding]) : [];
    const step = escalationStep(
      {
        escalationLevel: row.escalation_level,
        assigneeChiefId: baseChief,
        assigneeLevel: baseLevel,
        escalatedTo: row.escalated_to,
        heldLevels: levels.map((l) => l.level),
        routing: escalating ? await this.locator.routingAt(Number(row.lng), Number(row.lat), m) : null,
      },
      decision.mayEscalate,
    );
    const { escalatedTo, reason, levelAfter } = step;
    const escalates = escalatedTo !== null;
    // Each further limit without resolution climbs again, while there is a level to climb to.
    const limit = step.climbsAgain ? await this.calendar.timeLimitOf(m, row.standard_id) : null;
    const nextCheckAt = limit ? addTimeLimit(now, limit, await this.calendar.current(m), this.calendar.offsetMinutes) : null;

    await m.query(
      `UPDATE case_file SET overdue = true, escalation_level = $2, escalated_to = $3, next_check_at = $4, updated_at = $5 WHERE id = $1`,
      [caseId, levelAfter, escalates ? [...row.escalated_to, escalatedTo] : row.escalated_to, nextCheckAt, now],
    );
    const after = await loadCase(m, caseId);
    const light = await this.limits.lightAt(m, after, now);
    // Read before the first event: from it on, the event-order lock is held (case-events.store.ts).
    const departmentLeader = escalates && reason && row.assignee_department_code !== null ? await this.departments.leaderOf(m, row.assignee_department_code) : null;
    if (decision.firstTime) {
      await appendCaseEvent(
        m,
        after,
        overdueDraft(row.status, row.deadline_at ? new Date(row.deadline_at) : null),
        SYSTEM_ACTOR,
        now,
        { light },
      );
    }
    if (escalates && reason) {
      const draft = escalatedDraft(row.status, reason, escalatedTo, levelAfter);
      if (row.assignee_department_code !== null) {
        draft.evidence = { ...draft.evidence, department: { code: row.assignee_department_code, leaderId: departmentLeader } };
      }
      await appendCaseEvent(
        m,
        after,
        draft,
        SYSTEM_ACTOR,
        now,
        // Only an escalation sets the next check: its timer goes to the outbox with the event.
        { light, jobs: nextCheckAt ? [{ name: JobName.CheckDeadline, data: { caseId, dueAt: nextCheckAt.toISOString() }, deliverAfter: nextCheckAt }] : [] },
      );
    }
    return { kind: 'overdue', escalatedTo, nextCheckAt };
  }

  /**
   * A suspended case (挂账): its only timer is the suspension's end, so every check made before it
   * is void; at `until` the workflow resumes it (the clock restarts with the time that was left).
   */
  private async suspendedCheck(m: EntityManager, row: CaseRow, dueAt: Date, now: Date): Promise<ClockOutcome> {
    const until = row.suspended_until ? new Date(row.suspended_until) : null;
    const next = row.next_check_at ? new Date(row.next_check_at) : null;
    if (!until || !next || next.getTime() !== dueAt.getTime()) return { kind: 'stale' };
    if (now.getTime() < until.getTime()) return { kind: 'early', at: until };
    await this.workflow.applyIn(m, row.id, 'resume', SYSTEM_ACTOR, {});
    return { kind: 'resumed' };
  }
}
