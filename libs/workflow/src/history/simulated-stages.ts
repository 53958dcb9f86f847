import type { Actor } from '../actor';
import { POST_OF_STAGE, type Stage, type StagePost } from '../stages/stage-rules';

/** What a simulated history's stages run on: the limits in force, who is told of a missed one, who gets a check. */
export interface StageHistoryRules {
  /** The stage limits in minutes (StageLimitService's in force when the history is made). */
  limitsMin: Record<Stage, number>;
  /** The leaders (值班长) on duty at an instant, told of a missed stage. */
  leadersOnDuty(at: Date): { id: string; name: string }[];
  /** The warden on duty in the cell at an instant, given its checks (null: the operators'). */
  checkWardenOf(cellCode: string, at: Date): { id: string; name: string } | null;
}

/** One stage of a simulated case, as `case_stage` stores it. */
export interface HistoryStage {
  stage: Stage;
  post: StagePost;
  startedAt: Date;
  dueAt: Date;
  assigneeId: string | null;
  endedAt: Date | null;
  endedBy: string | null;
  endedByName: string | null;
  automatic: boolean;
  overdueAt: Date | null;
  escalatedTo: string[];
}

/**
 * The command centre's stages of one simulated case, kept as CaseStageService keeps them: one open
 * stage of a kind at a time, ended by the actor (automatic when the system), marked overdue at its
 * due time when still open then (its timer, fired on time).
 */
export class SimulatedStages {
  readonly rows: HistoryStage[] = [];

  constructor(private readonly rules: StageHistoryRules) {}

  /** Opens a stage unless one of its kind is open (null then). */
  open(stage: Stage, at: Date, assigneeId: string | null = null): HistoryStage | null {
    if (this.rows.some((s) => s.stage === stage && s.endedAt === null)) return null;
    const row: HistoryStage = {
      stage, post: POST_OF_STAGE[stage], startedAt: at, dueAt: new Date(at.getTime() + this.rules.limitsMin[stage] * 60_000), assigneeId,
      endedAt: null, endedBy: null, endedByName: null, automatic: false, overdueAt: null, escalatedTo: [],
    };
    this.rows.push(row);
    return row;
  }

  /** Ends the open stages named; answers the ones it ended. */
  end(stages: readonly Stage[], at: Date, actor: Actor): Stage[] {
    const open = this.rows.filter((s) => s.endedAt === null && stages.includes(s.stage));
    for (const s of open) Object.assign(s, { endedAt: new Date(Math.max(at.getTime(), s.startedAt.getTime())), endedBy: actor.id, endedByName: actor.name, automatic: actor.role === 'system' });
    return open.map((s) => s.stage);
  }

  /** The open stage not yet marked that is due first, before `until` (a step taken at its due time is on time; none: null). */
  nextDue(until: Date): HistoryStage | null {
    const due = this.rows.filter((s) => s.endedAt === null && s.overdueAt === null && s.dueAt.getTime() < until.getTime());
    return due.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0] ?? null;
  }

  /** Marks the stage overdue at its due time, told to the leaders on duty then; answers them. */
  markOverdue(s: HistoryStage): { id: string; name: string }[] {
    const leaders = this.rules.leadersOnDuty(s.dueAt);
    Object.assign(s, { overdueAt: s.dueAt, escalatedTo: leaders.map((l) => l.id) });
    return leaders;
  }
}
