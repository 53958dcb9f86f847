import { Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditModule, AuditTrail, type AuditActor } from '@wangge/audit';
import { CLOCK, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { STAGES, type Stage } from './stage-rules';
import { CURRENT_STAGE_LIMITS_SQL, INSERT_STAGE_LIMIT_SQL, STAGE_LIMIT_HISTORY_SQL } from './stage-limits.sql';

/** A stage's limit now: set by the district (`district`) or the environment's default (`default`). */
export interface StageLimitView {
  stage: Stage;
  minutes: number;
  source: 'district' | 'default';
  /** The environment's value, used while the district has set none. */
  defaultMinutes: number;
  effectiveFrom: string | null;
  setBy: { id: string | null; name: string } | null;
}

/** One value a district admin set. */
export interface StageLimitChange {
  stage: Stage;
  minutes: number;
  effectiveFrom: string;
  setBy: { id: string | null; name: string };
}

export interface StageLimitsView {
  limits: StageLimitView[];
  history: StageLimitChange[];
}

/** The three limits in minutes, as an admin sets them (checked by the controller's DTO). */
export type StageLimitMinutes = Record<Stage, number>;

interface LimitRow {
  stage: Stage;
  minutes: number;
  effective_from: Date;
  set_by: string | null;
  set_by_name: string;
}

/**
 * The stage limits a district's admin sets (issue 22 item 2; `stage_limit`, history kept): a
 * stage's limit is its latest value in effect, else the environment's default
 * (REGISTER/DISPATCH/CHECK_LIMIT_MIN). The stages read it as they open (currentStageLimitSql), so
 * every process follows a change at once; an open stage keeps the due time it was opened with.
 */
@Injectable()
export class StageLimitService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AuditTrail) private readonly audit: AuditTrail,
  ) {}

  async view(m: EntityManager = this.db.manager): Promise<StageLimitsView> {
    const current: LimitRow[] = await m.query(CURRENT_STAGE_LIMITS_SQL, [this.clock.now()]);
    const history: LimitRow[] = await m.query(STAGE_LIMIT_HISTORY_SQL);
    return {
      limits: STAGES.map((stage) => {
        const set = current.find((r) => r.stage === stage);
        const defaultMinutes = this.config.stageLimitsMin[stage];
        return set
          ? { stage, minutes: Number(set.minutes), source: 'district', defaultMinutes, effectiveFrom: new Date(set.effective_from).toISOString(), setBy: { id: set.set_by, name: set.set_by_name } }
          : { stage, minutes: defaultMinutes, source: 'default', defaultMinutes, effectiveFrom: null, setBy: null };
      }),
      history: history.map((r) => ({ stage: r.stage, minutes: Number(r.minutes), effectiveFrom: new Date(r.effective_from).toISOString(), setBy: { id: r.set_by, name: r.set_by_name } })),
    };
  }

  /** Sets the limits from now on: a row for each stage whose value changes, and one audit entry, in one transaction. */
  async set(minutes: StageLimitMinutes, actor: AuditActor & { name: string }): Promise<StageLimitsView> {
    return this.db.transaction(async (m) => {
      // One writer at a time: the second reads what the first set.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('stage-limits'))`);
      const before = await this.view(m);
      const now = this.clock.now();
      const changed = before.limits.filter((l) => l.minutes !== minutes[l.stage] || l.source === 'default');
      for (const l of changed) await m.query(INSERT_STAGE_LIMIT_SQL, [l.stage, minutes[l.stage], actor.id, now, actor.name]);
      const after = await this.view(m);
      if (changed.length > 0) {
        await this.audit.record({ actor, action: 'stage_limit.update', entity: 'stage_limit', before: minutesOf(before), after: minutesOf(after) }, m);
      }
      return after;
    });
  }
}

/** The limits in force at `at` (the district's, else `defaults`), for a caller without the Nest container (the demo's history). */
export async function stageLimitsInForce(m: EntityManager, at: Date, defaults: StageLimitMinutes): Promise<StageLimitMinutes> {
  const current: LimitRow[] = await m.query(CURRENT_STAGE_LIMITS_SQL, [at]);
  return Object.fromEntries(STAGES.map((stage) => [stage, Number(current.find((r) => r.stage === stage)?.minutes ?? defaults[stage])])) as StageLimitMinutes;
}

function minutesOf(view: StageLimitsView): Record<Stage, { minutes: number; source: 'district' | 'default' }> {
  return Object.fromEntries(view.limits.map((l) => [l.stage, { minutes: l.minutes, source: l.source }])) as Record<Stage, { minutes: number; source: 'district' | 'default' }>;
}

/** The stage limits' admin service, for the intake's admin API; with the process's WorkflowModule (its clock). */
@Module({})
export class StageLimitModule {
  static forRoot(workflow: DynamicModule): DynamicModule {
    return { module: StageLimitModule, imports: [workflow, AuditModule], providers: [StageLimitService], exports: [StageLimitService] };
  }
}
