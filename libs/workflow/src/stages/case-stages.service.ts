import { Inject, Injectable } from '@nestjs/common';
import { rowsOf } from '@wangge/database';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import type { CaseAction, CaseStatus } from '@wangge/domain';
import type { EventState } from '@wangge/events';
import { JobName, type JobRequest } from '@wangge/jobs';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { EventDraft } from '../transition';
import { appendCaseEvent, type AppendOptions } from '../case-events.store';
import { CaseLimitService } from '../case-limit.service';
import { CASE_SELECT, type CaseRow } from '../case-row';
import { addJobs } from '../outbox/job.outbox';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { END_STAGES_SQL, LEADERS_ON_DUTY_SQL, NEAREST_ON_DUTY_WARDEN_SQL, OPEN_STAGE_SQL, OPERATOR_CHECKS_IN_CELLS_SQL, TAKE_OPERATOR_CHECK_SQL } from './case-stages.sql';
import { currentStageLimitSql } from './stage-limits.sql';
import { checkAssignedDraft, POST_OF_STAGE, stageChange, stageOverdueDraft, type Stage } from './stage-rules';

/** A stage's own event, to append after the transition's event (CaseStageService.forTransition). */
export interface StageEvent {
  row: CaseRow;
  draft: EventDraft;
  at: Date;
  options: AppendOptions;
}

export type StageOutcome = { kind: 'stale' } | { kind: 'early'; at: Date } | { kind: 'overdue'; escalatedTo: string[] };

/** An open stage whose timer is to be (re)sent. */
export interface PendingStage {
  case_id: string;
  stage: Stage;
  due_at: Date;
}

/**
 * The command centre's stages on a case (stage-rules.ts): opened and ended with the transitions,
 * in their transaction; a check stage is a task given to the nearest warden on duty in the case's
 * cell (none: the operators', until a warden of the cell goes on duty); a stage past its limit is
 * marked overdue against its post and told once to the leaders on duty. Timers go to the outbox with the change, like the case's clock.
 */
@Injectable()
export class CaseStageService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CaseLimitService) private readonly limits: CaseLimitService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  /**
   * For an applied transition, in its transaction (the case row is locked), before its event is
   * appended: ends and opens its stages. Returns the stages' own events (a check task given), which
   * the caller appends after the transition's event, so that the event inserts come last and the
   * event-order lock is held for them and the commit only.
   */
  async forTransition(m: EntityManager, t: { caseId: string; action: CaseAction; from: CaseStatus; actor: Actor; now: Date }): Promise<StageEvent[]> {
    const change = stageChange(t.action, t.from);
    if (change.end.length > 0) {
      const ended: { stage: Stage }[] = await m.query(END_STAGES_SQL, [t.caseId, change.end, t.now, t.actor.id, t.actor.name, t.actor.role === 'system']).then((r: unknown) => rowsOf<{ stage: Stage }>(r));
      if (ended.some((e) => e.stage === 'check')) {
        await m.query(`UPDATE case_file SET check_assigned = false, check_warden_id = NULL WHERE id = $1`, [t.caseId]);
      }
    }
    const events: StageEvent[] = [];
    for (const stage of change.start) {
      if (stage === 'check') events.push(...(await this.giveCheck(m, t.caseId, t.now)));
      else await this.open(m, t.caseId, stage, t.now);
    }
    return events;
  }

  /** Appends the stages' events `forTransition` returned, after the transition's own event (whose state is `previousState`). */
  async appendStageEvents(m: EntityManager, events: readonly StageEvent[], previousState: Partial<EventState>): Promise<void> {
    let previous = previousState;
    for (const e of events) previous = (await appendCaseEvent(m, e.row, e.draft, SYSTEM_ACTOR, e.at, { ...e.options, previousState: previous })).state;
  }

  /** Opens a stage of the operator's (register, dispatch) with its timer. */
  private async open(m: EntityManager, caseId: string, stage: Exclude<Stage, 'check'>, now: Date): Promise<void> {
    const dueAt = await this.dueFrom(m, stage, now);
    const opened: unknown[] = await m.query(OPEN_STAGE_SQL, [caseId, stage, POST_OF_STAGE[stage], now, dueAt, null]);
    if (opened.length > 0) await addJobs(m, [stageTimer(caseId, stage, dueAt)]);
  }

  /**
   * Gives the check task to the warden on duty in the case's cell nearest to it (PostGIS distance
   * from their last known place): then only they (or an operator) verify. With none on duty the
   * task is the operators' (`check_assigned` with no warden): no warden of the cell verifies until
   * one goes on duty and takes it (takeOperatorChecks). An event tells who has it.
   */
  private async giveCheck(m: EntityManager, caseId: string, now: Date): Promise<StageEvent[]> {
    const [warden]: { id: string; name: string; distance_m: number | null }[] = await m.query(NEAREST_ON_DUTY_WARDEN_SQL, [caseId]);
    const dueAt = await this.dueFrom(m, 'check', now);
    const opened: unknown[] = await m.query(OPEN_STAGE_SQL, [caseId, 'check', 'supervisor', now, dueAt, warden?.id ?? null]);
    if (opened.length === 0) return [];
    await m.query(`UPDATE case_file SET check_assigned = true, check_warden_id = $2 WHERE id = $1`, [caseId, warden?.id ?? null]);
    const row = await this.caseRow(m, caseId);
    const distanceM = warden?.distance_m == null ? null : Math.round(Number(warden.distance_m));
    const draft = checkAssignedDraft(row.status, warden ? { id: warden.id, name: warden.name, distanceM } : null, dueAt);
    return [{ row, draft, at: now, options: { light: await this.limits.lightAt(m, row, now), jobs: [stageTimer(caseId, 'check', dueAt)] } }];
  }

  /**
   * A warden goes on duty (in the transaction that sets it): the open checks the operators hold in
   * their cells (given while nobody was on duty) become theirs, each with its event; the stage keeps
   * its due time and timer. Case rows are locked in id order, as two wardens may go on duty at once.
   */
  async takeOperatorChecks(m: EntityManager, wardenId: string, now: Date): Promise<number> {
    const held: { id: string }[] = await m.query(OPERATOR_CHECKS_IN_CELLS_SQL, [wardenId]);
    let taken = 0;
    for (const { id: caseId } of held) {
      const [task]: { due_at: Date; name: string; distance_m: number | null }[] = await m.query(TAKE_OPERATOR_CHECK_SQL, [caseId, wardenId]).then((r: unknown) => rowsOf(r));
      if (!task) continue;
      await m.query(`UPDATE case_file SET check_warden_id = $2 WHERE id = $1`, [caseId, wardenId]);
      const row = await this.caseRow(m, caseId);
      const distanceM = task.distance_m == null ? null : Math.round(Number(task.distance_m));
      const draft = checkAssignedDraft(row.status, { id: wardenId, name: task.name, distanceM }, new Date(task.due_at), true);
      await appendCaseEvent(m, row, draft, SYSTEM_ACTOR, now, { light: await this.limits.lightAt(m, row, now) });
      taken += 1;
    }
    return taken;
  }

  /**
   * A stage's timer is due: under the case's row lock, an open stage still due at `dueAt` and not
   * yet marked is marked overdue against its post and escalated once to the leaders on duty.
   */
  async expire(caseId: string, stage: Stage, dueAt: Date): Promise<StageOutcome> {
    const outcome = await this.db.transaction(async (m): Promise<StageOutcome> => {
      const locked: unknown[] = await m.query(`SELECT id FROM case_file WHERE id = $1 FOR UPDATE`, [caseId]);
      if (locked.length === 0) return { kind: 'stale' };
      const [open]: { id: string; due_at: Date; overdue_at: Date | null }[] = await m.query(
        `SELECT id, due_at, overdue_at FROM case_stage WHERE case_id = $1 AND stage = $2 AND ended_at IS NULL`,
        [caseId, stage],
      );
      if (!open || open.overdue_at !== null || new Date(open.due_at).getTime() !== dueAt.getTime()) return { kind: 'stale' };
      const now = this.clock.now();
      if (now.getTime() < dueAt.getTime()) return { kind: 'early', at: dueAt };
      const row = await this.caseRow(m, caseId);
      const leaders: { id: string; name: string }[] = await m.query(LEADERS_ON_DUTY_SQL, [row.street_code]);
      await m.query(`UPDATE case_stage SET overdue_at = $2, escalated_to = $3 WHERE id = $1`, [open.id, now, leaders.map((l) => l.id)]);
      await appendCaseEvent(m, row, stageOverdueDraft(row.status, stage, dueAt, leaders), SYSTEM_ACTOR, now, { light: await this.limits.lightAt(m, row, now) });
      return { kind: 'overdue', escalatedTo: leaders.map((l) => l.id) };
    });
    if (outcome.kind === 'overdue') this.relay.wake();
    return outcome;
  }

  /** Open stages not marked overdue, by (case, stage) after `after`: every one (`all`), or those due before `dueBefore`. */
  pending(page: { all: boolean; dueBefore: Date; after: { caseId: string; stage: string }; limit: number }): Promise<PendingStage[]> {
    return this.db.query(
      `SELECT case_id, stage, due_at FROM case_stage
        WHERE ended_at IS NULL AND overdue_at IS NULL AND ($1::boolean OR due_at < $2) AND (case_id, stage) > ($3::uuid, $4::text)
        ORDER BY case_id, stage LIMIT $5`,
      [page.all, page.dueBefore, page.after.caseId, page.after.stage, page.limit],
    );
  }

  /** The due time of a stage opened now: its limit in force (the district's, else the default; StageLimitService). */
  private async dueFrom(m: EntityManager, stage: Stage, now: Date): Promise<Date> {
    const [limit]: { minutes: number }[] = await m.query(`SELECT ${currentStageLimitSql('$1', '$2', '$3::int')} AS minutes`, [stage, now, this.config.stageLimitsMin[stage]]);
    return new Date(now.getTime() + Number(limit.minutes) * 60_000);
  }

  private async caseRow(m: EntityManager, caseId: string): Promise<CaseRow> {
    const [row]: CaseRow[] = await m.query(`${CASE_SELECT} WHERE c.id = $1`, [caseId]);
    return row;
  }
}

/** The timer of a stage due at `dueAt`. */
export function stageTimer(caseId: string, stage: Stage, dueAt: Date): JobRequest {
  return { name: JobName.CheckStage, data: { caseId, stage, dueAt: dueAt.toISOString() }, deliverAfter: dueAt };
}

