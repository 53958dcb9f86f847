import { addTimeLimit, type HolidayCalendar } from '@wangge/clock';
import type { CaseAction, CaseEventType, CaseStatus, ChiefLevel, ReportSource, TimeLimit } from '@wangge/domain';
import type { EventState } from '@wangge/events';
import { locationOf, type RoutingFound } from '@wangge/geo';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import { appealDecidedDraft, appealedDraft, type AppealRecord } from '../case-appeals.service';
import { eventStateOf } from '../case-events.store';
import { registersItself, reportRow, type CategoryRow, type LngLat, type ReportInput } from '../new-case';
import { routingReasonOf } from '../case-routing.service';
import type { PlacedCaseRow } from '../case-row';
import { PATCH_COLUMNS } from '../case-workflow.service';
import { decideClockCheck, escalatedDraft, escalationStep, overdueDraft, verificationOverdueDraft } from '../clock-check';
import { transition, type ActionInput, type CasePatch, type CaseState, type EventDraft, type TransitionContext } from '../transition';
import { clockContext, needsClock } from '../transition-context';
import { checkAssignedDraft, stageChange, stageOverdueDraft } from '../stages/stage-rules';
import { SimulatedStages, type HistoryStage, type StageHistoryRules } from './simulated-stages';

/** The rules a simulated history runs on: the district's business time and its chiefs. */
export interface HistoryRules {
  calendar: HolidayCalendar;
  offsetMinutes: number;
  verifyLimitWorkHours: number;
  autoRegisterSources: readonly string[];
  /** Every chief by road_chief id: name, level, on duty. */
  chiefs: ReadonlyMap<number, { name: string; level: ChiefLevel; available: boolean }>;
  /** The command centre's stages: their limits, the leaders told of a missed one, the wardens given checks. */
  stages: StageHistoryRules;
}

/** One event of a simulated history, as `case_event` stores it (its seq is drawn when written). */
export interface HistoryEvent {
  caseId: string;
  /** Its place in the case's history (events at one instant keep it). */
  n: number;
  type: CaseEventType;
  from: CaseStatus;
  to: CaseStatus;
  reason: string | null;
  note: string | null;
  evidence: Record<string, unknown>;
  /** `case_event.state`; `{}` for the events of the report itself, as the report's statement writes them. */
  state: Partial<EventState>;
  at: Date;
  actor: { id: string | null; role: string; name: string };
}

/** A report of the history: what `POST /cases` would have been given, and where routing found its point. */
export interface HistoryReport {
  id: string;
  /** A simulated report always has its point. */
  input: ReportInput & { location: LngLat };
  reporter: Actor;
  source: ReportSource;
  category: CategoryRow;
  standardId: number | null;
  limit: TimeLimit | null;
  routing: RoutingFound;
  /** The open case of the same category nearby it is a possible duplicate of (the report's duplicate rule), or null. */
  duplicateOf: string | null;
  trackingTokenHash: string;
  at: Date;
}

/**
 * A case living through a simulated clock: every step is the closed loop's own rule — the pure
 * `transition` for actions (with the clock context of the real service), the routing rule for the
 * dispatcher's dispatch, `decideClockCheck` and `escalationStep` for missed limits — applied to an
 * in-memory row, each step recording the event the services would write. The history's writer
 * then stores the rows and events as they are.
 */
export class SimulatedCase {
  readonly row: PlacedCaseRow;
  readonly events: HistoryEvent[] = [];
  readonly trackingTokenHash: string;
  /** The command centre's stages on the case (case_stage), by the rule of the stages (stage-rules.ts). */
  readonly stages: SimulatedStages;
  private lastEvent: (Pick<HistoryEvent, 'type' | 'reason' | 'note' | 'evidence' | 'state'> & { actorId: string | null }) | null = null;
  private readonly returnedBy = new Set<number>();

  private constructor(
    private readonly report: HistoryReport,
    private readonly rules: HistoryRules,
  ) {
    const { input, reporter, source, category, standardId, routing, at } = report;
    const location = locationOf(routing, input.location);
    const registers = registersItself(
      { source, categoryAllows: category.auto_register, hasCondition: standardId !== null, duplicate: report.duplicateOf },
      { autoRegisterSources: rules.autoRegisterSources },
    );
    const accepted = { category, standardId, point: input.location, place: location, duplicate: report.duplicateOf, registers };
    // A report with its point and place: the row has them.
    this.row = reportRow({ id: report.id, input, actor: reporter, source, accepted, now: at }) as PlacedCaseRow;
    this.trackingTokenHash = report.trackingTokenHash;
    this.stages = new SimulatedStages(rules.stages);
    // The report's own events, as its statement writes them (no state snapshot).
    const evidence = report.duplicateOf ? { possibleDuplicateOf: report.duplicateOf } : {};
    this.record({ type: 'case.reported', from: 'reported', to: 'reported', reason: null, note: null, evidence }, reporter, at, {});
    if (registers) this.record({ type: 'case.registered', from: 'reported', to: 'registered', reason: null, note: null, evidence: {} }, SYSTEM_ACTOR, at, {});
    // The stages the report's statement opens: the register stage (ended at once, automatic, when
    // the report registers itself) and then the dispatch stage.
    this.stages.open('register', at);
    if (registers) {
      this.stages.end(['register'], at, SYSTEM_ACTOR);
      this.stages.open('dispatch', at);
    }
  }

  /** The case reported at `report.at`: its `case.reported` (and `case.registered` when it registers itself). */
  static reported(report: HistoryReport, rules: HistoryRules): SimulatedCase {
    return new SimulatedCase(report, rules);
  }

  get id(): string {
    return this.row.id;
  }

  get status(): CaseStatus {
    return this.row.status;
  }

  /** The case as the closed loop judges it now. */
  state(): CaseState {
    const r = this.row;
    return {
      id: r.id,
      status: r.status,
      streetCode: r.street_code,
      gridCellCode: r.grid_cell_code,
      reporterId: r.reporter_id,
      assigneeChiefId: r.assignee_chief_id,
      escalatedTo: r.escalated_to,
      checkRequested: r.check_requested,
      extensionCount: r.extension_count,
      extensionRequestedHours: r.extension_requested_hours === null ? null : Number(r.extension_requested_hours),
      reworkCount: r.rework_count,
      deadlineAt: r.deadline_at,
      overdue: r.overdue,
      checkAssigned: r.check_assigned,
      checkWardenId: r.check_warden_id,
      lastEvent: this.lastEvent && {
        type: this.lastEvent.type,
        actorId: this.lastEvent.actorId,
        reason: this.lastEvent.reason,
        note: this.lastEvent.note,
        evidence: this.lastEvent.evidence,
      },
    };
  }

  /**
   * An action at `at`, by the rule of the closed loop (throws its CaseError when the rule refuses).
   * A merge names its target, which records its `case.duplicate_merged`. Returns false for a repeat.
   */
  act(action: CaseAction, actor: Actor, input: ActionInput, at: Date, extra: { routing?: { en: string; zh: string }; target?: SimulatedCase } = {}): boolean {
    this.runClock(at);
    extra.target?.runClock(at);
    const state = this.state();
    const ctx: TransitionContext = { now: at };
    if (action === 'dispatch' && input.assigneeId !== undefined) {
      const chief = this.rules.chiefs.get(input.assigneeId);
      ctx.assignee = chief ? { id: input.assigneeId, ...chief } : null;
    }
    if (needsClock(action, input, state.deadlineAt !== null)) {
      Object.assign(ctx, clockContext(action, input, state.deadlineAt !== null, { ...this.rules, limit: this.report.limit }));
    }
    if (action === 'merge') ctx.target = extra.target ? extra.target.state() : null;
    if (extra.routing) ctx.routingReason = extra.routing;
    const outcome = transition(state, action, actor, input, ctx);
    if (outcome.kind === 'repeat') return false;
    this.apply(outcome.patch, at);
    if (outcome.targetEvent && extra.target) extra.target.record(outcome.targetEvent, actor, at);
    this.record(outcome.event, actor, at);
    this.afterTransition(action, state.status, actor, at);
    if (action === 'return' && actor.chiefId !== null) this.returnedBy.add(actor.chiefId);
    return true;
  }

  /**
   * The dispatcher's route job at `at`: the chief the routing rule names for the case's place (past
   * the chiefs who returned it), dispatched by the system. False when no chief is there.
   */
  route(at: Date): boolean {
    const exclude = new Set([...this.returnedBy].sort((a, b) => a - b));
    const location = locationOf(this.report.routing, this.report.input.location, exclude);
    if (!location.assignee) return false;
    return this.act('dispatch', SYSTEM_ACTOR, { assigneeId: location.assignee.id }, at, { routing: routingReasonOf(location, exclude) });
  }

  /**
   * Every clock check due by `until`, at its time: overdue marks, escalations, missed verifications,
   * and the stages' timers (a stage still open at its due time), in time order.
   */
  runClock(until: Date): void {
    for (;;) {
      const r = this.row;
      const next = r.next_check_at;
      const stage = this.stages.nextDue(until);
      const due = next && next.getTime() <= until.getTime() ? next : null;
      if (stage && (!due || stage.dueAt.getTime() <= due.getTime())) {
        this.markStage(stage);
        continue;
      }
      if (!due) return;
      const decision = decideClockCheck(
        { status: r.status, overdue: r.overdue, escalationLevel: r.escalation_level, nextCheckAt: due, verifyDeadlineAt: r.verify_deadline_at, verifyOverdue: r.verify_overdue },
        due,
        due,
      );
      if (decision.kind === 'stale' || decision.kind === 'early') {
        // No case clock left by `until`: the stages' timers still run.
        for (let s = this.stages.nextDue(until); s; s = this.stages.nextDue(until)) this.markStage(s);
        return;
      }
      if (decision.kind === 'verification_missed') {
        Object.assign(r, { verify_overdue: true, next_check_at: null, updated_at: due });
        this.record(verificationOverdueDraft(r.status, due), SYSTEM_ACTOR, due);
        continue;
      }
      const holding = r.assignee_chief_id !== null ? [r.assignee_chief_id, ...r.escalated_to] : [];
      const step = escalationStep(
        {
          escalationLevel: r.escalation_level,
          assigneeChiefId: r.assignee_chief_id,
          assigneeLevel: r.assignee_level,
          escalatedTo: r.escalated_to,
          heldLevels: holding.flatMap((id) => this.rules.chiefs.get(id)?.level ?? []),
          routing: this.report.routing,
        },
        decision.mayEscalate,
      );
      const limit = step.climbsAgain ? this.report.limit : null;
      const deadline = r.deadline_at;
      Object.assign(r, {
        overdue: true,
        escalation_level: step.levelAfter,
        escalated_to: step.escalatedTo !== null ? [...r.escalated_to, step.escalatedTo] : r.escalated_to,
        next_check_at: limit ? addTimeLimit(due, limit, this.rules.calendar, this.rules.offsetMinutes) : null,
        updated_at: due,
      });
      if (decision.firstTime) this.record(overdueDraft(r.status, deadline), SYSTEM_ACTOR, due);
      if (step.escalatedTo !== null && step.reason) this.record(escalatedDraft(r.status, step.reason, step.escalatedTo, step.levelAfter), SYSTEM_ACTOR, due);
    }
  }

  /** Whether the case was marked overdue since its last dispatch, with no return after it (what an appeal needs). */
  markedOverdueInAssignment(): boolean {
    const lastDispatch = this.events.map((e) => e.type).lastIndexOf('case.dispatched');
    const after = this.events.slice(lastDispatch + 1).map((e) => e.type);
    return lastDispatch >= 0 && after.includes('case.overdue') && !after.includes('case.returned');
  }

  /** A chief's appeal of the overdue mark (the appeal row is its owner's to write). */
  appeal(actor: Actor, reason: string, record: AppealRecord, at: Date): void {
    this.runClock(at);
    this.record(appealedDraft(this.row.status, reason, record), actor, at);
  }

  /** A leader's decision on the appeal. */
  decideAppeal(actor: Actor, decision: AppealRecord & { approved: boolean; note: string | null }, at: Date): void {
    this.runClock(at);
    this.record(appealDecidedDraft(this.row.status, decision), actor, at);
  }

  /** The status the case had at `at` (after its events up to then). */
  statusAt(at: Date): CaseStatus | null {
    let status: CaseStatus | null = null;
    for (const e of this.events) if (e.at.getTime() <= at.getTime()) status = e.to;
    return status;
  }

  /** A stage's timer at its due time: marked overdue, told to the leaders on duty (CaseStageService.expire). */
  private markStage(stage: HistoryStage): void {
    this.record(stageOverdueDraft(this.row.status, stage.stage, stage.dueAt, this.stages.markOverdue(stage)), SYSTEM_ACTOR, stage.dueAt);
  }

  /** The stages an applied action ends and opens, as CaseStageService.afterTransition does, after its event. */
  private afterTransition(action: CaseAction, from: CaseStatus, actor: Actor, at: Date): void {
    const change = stageChange(action, from);
    if (this.stages.end(change.end, at, actor).includes('check')) Object.assign(this.row, { check_assigned: false, check_warden_id: null });
    for (const stage of change.start) {
      if (stage !== 'check') {
        this.stages.open(stage, at);
        continue;
      }
      const warden = this.rules.stages.checkWardenOf(this.row.grid_cell_code, at);
      const opened = this.stages.open('check', at, warden?.id ?? null);
      if (!opened) continue;
      Object.assign(this.row, { check_assigned: true, check_warden_id: warden?.id ?? null });
      this.record(checkAssignedDraft(this.row.status, warden && { ...warden, distanceM: null }, opened.dueAt), SYSTEM_ACTOR, at);
    }
  }

  private apply(patch: CasePatch, at: Date): void {
    const row = this.row as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(patch) as [keyof CasePatch, unknown][]) {
      if (value !== undefined) row[PATCH_COLUMNS[key]] = value;
    }
    // What CASE_SELECT joins for the assignee.
    const chief = this.row.assignee_chief_id === null ? undefined : this.rules.chiefs.get(this.row.assignee_chief_id);
    this.row.assignee_name = chief?.name ?? null;
    this.row.assignee_level = chief?.level ?? null;
    this.row.updated_at = at;
  }

  private record(draft: EventDraft, actor: Actor, at: Date, state?: Partial<EventState>): void {
    const snapshot = state ?? eventStateOf(this.row, this.lastEvent ? this.lastEvent.state : null);
    this.events.push({ caseId: this.row.id, n: this.events.length, ...draft, state: snapshot, at, actor: { id: actor.id, role: actor.role, name: actor.name } });
    this.lastEvent = { type: draft.type, actorId: actor.id, reason: draft.reason, note: draft.note, evidence: draft.evidence, state: snapshot };
  }
}
