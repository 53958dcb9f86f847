import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CLOCK, localDay, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { EvaluationService } from '@wangge/evaluation';
import type { BulletinPublishedNotice } from '@wangge/events';
import { REDIS_NAMESPACE, type RedisNamespace } from '@wangge/jobs';
import { notify, titleOf } from '@wangge/notifications';
import { AppError, REDIS } from '@wangge/operations';
import type { Redis } from 'ioredis';
import { utcOffsetMinutes } from '@wangge/clock';
import { addFeedNotice, OverdueCasesQuery, RecurrenceHotspotsService, SYSTEM_ACTOR } from '@wangge/workflow';
import { BULLETIN_CONTRIBUTORS, type BulletinContributor, type ContributedSection } from './bulletin-contributor';
import { buildBulletinDocument } from './bulletin-document';
import {
  bulletinPath,
  dailyPeriod,
  hasEnded,
  latestDuePeriod,
  minutesOfDay,
  previousPeriod,
  weeklyPeriodOfDay,
  type BulletinKind,
  type BulletinPeriod,
} from './bulletin-period';
import type { BulletinDocument, BulletinSummary } from './bulletin.types';

/**
 * A scheduled run this early still counts as on time: BullMQ promotes a delayed job by the clock of
 * the Redis server, the handler reads the dispatcher's; without the grace a job delivered a moment
 * before 08:00 by the dispatcher's clock would publish nothing until the next day's run.
 */
export const SCHEDULE_GRACE_MS = 5 * 60_000;

/** How many periods back a scheduled run fills in when earlier runs were missed (dispatcher down). */
export const CATCH_UP = { daily: 7, weekly: 4 } as const satisfies Record<BulletinKind, number>;

/** Why a bulletin was not generated, naming the request field of its period (`date` or `isoWeek`). */
export class BulletinError extends AppError<'period_not_ended'> {
  constructor(code: 'period_not_ended', message: string, field?: string) {
    super(code, 'unprocessable', message, { field });
  }
}

export interface GenerateOptions {
  trigger: 'schedule' | 'manual';
  by?: { id: string; name: string } | null;
}

export interface GenerateResult {
  /** `created`: stored and announced now; `exists`: a scheduled run found the period's bulletin already stored. */
  outcome: 'created' | 'exists';
  document: BulletinDocument;
}

interface ListRow {
  id: string;
  kind: BulletinKind;
  period: string;
  revision: number;
  period_from: Date;
  period_to: Date;
  formula_version: number;
  trigger: 'schedule' | 'manual';
  generated_at: Date;
  title: { zh: string; en: string };
  revisions: number;
}

interface BulletinRow {
  id: string;
  kind: BulletinKind;
  period: string;
  revision: number;
  period_from: Date;
  period_to: Date;
  formula_version: number;
  trigger: 'schedule' | 'manual';
  generated_at: Date;
  document: BulletinDocument;
}

/**
 * Daily summaries and weekly bulletins: made from the evaluation engine (chiefs, streets and
 * departments ranked), the overdue list and the recurrence hotspots, stored as frozen documents, announced on the live feed in the same
 * transaction. One bulletin per kind and period from the schedule, however often its job runs;
 * a leader's regeneration stores a new revision beside the old ones (which stay readable).
 */
@Injectable()
export class BulletinService {
  private readonly logger = new Logger('bulletins');
  readonly offsetMinutes: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(EvaluationService) private readonly engine: EvaluationService,
    @Inject(RecurrenceHotspotsService) private readonly hotspots: RecurrenceHotspotsService,
    @Inject(OverdueCasesQuery) private readonly overdueCases: OverdueCasesQuery,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_NAMESPACE) private readonly keys: RedisNamespace,
    @Optional() @Inject(BULLETIN_CONTRIBUTORS) private readonly contributors: readonly BulletinContributor[] = [],
  ) {
    this.offsetMinutes = utcOffsetMinutes(config.timeZone);
  }

  /** The latest period of a kind whose bulletin is due at `now` (local publishing time from the settings). */
  latestDue(kind: BulletinKind, now: Date = this.clock.now()): BulletinPeriod {
    const at = minutesOfDay(kind === 'daily' ? this.config.bulletins.dailyAt : this.config.bulletins.weeklyAt);
    return latestDuePeriod(kind, now, at, this.offsetMinutes);
  }

  /**
   * What a scheduled job does: store every bulletin of the kind that is due at the clock's now and
   * not stored yet — the latest due period, and earlier ones up to {@link CATCH_UP} back that were
   * missed since the first bulletin of that kind. Running it twice stores nothing the second time.
   */
  async publishDue(kind: BulletinKind): Promise<{ created: string[]; existing: string[] }> {
    const now = this.clock.now();
    const due = this.latestDue(kind, new Date(now.getTime() + SCHEDULE_GRACE_MS));
    const [first]: { period_from: Date }[] = await this.db.query(`SELECT min(period_from) AS period_from FROM bulletin WHERE kind = $1`, [kind]);
    const since = first?.period_from ? new Date(first.period_from).getTime() : due.from.getTime();
    const periods: BulletinPeriod[] = [];
    for (let back = CATCH_UP[kind] - 1; back >= 0; back--) {
      const p = previousPeriod(due, this.offsetMinutes, back);
      // (With EVALUATION_DAILY_AT at 00:00 an early job's period may not have ended yet: the next run takes it.)
      if (p.from.getTime() >= since && hasEnded(p, now)) periods.push(p);
    }
    const stored = new Set(
      (
        (await this.db.query(`SELECT DISTINCT period FROM bulletin WHERE kind = $1 AND period = ANY($2::text[])`, [kind, periods.map((p) => p.key)])) as {
          period: string;
        }[]
      ).map((r) => r.period),
    );
    const created: string[] = [];
    const existing: string[] = [];
    for (const p of periods) {
      if (stored.has(p.key)) {
        existing.push(p.key);
        continue;
      }
      const result = await this.generate(p, { trigger: 'schedule' });
      (result.outcome === 'created' ? created : existing).push(p.key);
    }
    if (created.length > 0) this.logger.log(`published ${kind} ${created.join(', ')}`);
    return { created, existing };
  }

  /**
   * Makes the period's bulletin. `schedule`: only when none is stored (else the stored one is
   * returned, `exists`). `manual`: always a new revision. The period must have ended.
   */
  async generate(period: BulletinPeriod, options: GenerateOptions): Promise<GenerateResult> {
    const now = this.clock.now();
    if (!hasEnded(period, now)) {
      throw new BulletinError(
        'period_not_ended',
        `${period.key} has not ended yet; a bulletin covers a whole period / 该周期尚未结束，不能生成`,
        period.kind === 'daily' ? 'date' : 'isoWeek',
      );
    }
    if (options.trigger === 'schedule') {
      const current = await this.latestRow(period.kind, period.key);
      if (current) return { outcome: 'exists', document: current.document };
    }
    const previous = previousPeriod(period, this.offsetMinutes);
    // The formula in force for the period; the previous period is ranked with the same version, so
    // a change of rank is the groups' own and never the formula's.
    const chiefs = await this.engine.evaluate({ from: period.from, to: period.to, groupBy: 'chief' });
    const version = chiefs.formula.version;
    const streets = await this.engine.evaluate({ from: period.from, to: period.to, groupBy: 'street', formulaVersion: version });
    const previousChiefs = await this.engine.evaluate({ from: previous.from, to: previous.to, groupBy: 'chief', formulaVersion: version });
    const previousStreets = await this.engine.evaluate({ from: previous.from, to: previous.to, groupBy: 'street', formulaVersion: version });
    const departments = await this.engine.evaluate({ from: period.from, to: period.to, groupBy: 'department', formulaVersion: version });
    const previousDepartments = await this.engine.evaluate({ from: previous.from, to: previous.to, groupBy: 'department', formulaVersion: version });
    const hotspotSettings = { radiusM: this.config.hotspots.radiusM, windowDays: this.config.hotspots.windowDays };
    // One after the other: the embedded database runs one transaction at a time.
    const overdue = await this.overdueCases.at(period.to);
    const suspendedCount = await this.overdueCases.suspendedCountAt(period.to);
    // The bulletin is the district's one document: its hotspots are the system's view, every case.
    const hotspots = await this.hotspots.find({ from: period.from, to: period.to, ...hotspotSettings, caller: SYSTEM_ACTOR });
    // Sections of the libs above bulletins (campaigns), one after the other like the reads above.
    const contributed: ContributedSection[] = [];
    for (const c of this.contributors) contributed.push(await c.bulletinSection({ kind: period.kind, from: period.from, to: period.to }));

    const result = await this.db.transaction(async (m): Promise<GenerateResult> => {
      // One writer per kind and period at a time: a scheduled job and a regeneration, or two
      // dispatchers, never both store revision n.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`bulletin:${period.kind}:${period.key}`]);
      const [last]: { revision: number; document: BulletinDocument }[] = await m.query(
        `SELECT revision, document FROM bulletin WHERE kind = $1 AND period = $2 ORDER BY revision DESC LIMIT 1`,
        [period.kind, period.key],
      );
      if (last && options.trigger === 'schedule') return { outcome: 'exists', document: last.document };
      const document = buildBulletinDocument({
        id: randomUUID(),
        period,
        previous,
        revision: (last?.revision ?? 0) + 1,
        timeZone: this.config.timeZone,
        generatedAt: now,
        trigger: options.trigger,
        generatedBy: options.by ?? null,
        chiefs,
        streets,
        previousChiefs,
        previousStreets,
        departments,
        previousDepartments,
        overdue,
        suspendedCount,
        hotspots,
        hotspotSettings,
        contributed,
      });
      await m.query(
        `INSERT INTO bulletin (id, kind, period, revision, period_from, period_to, formula_version, trigger, generated_by, generated_at, document)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [document.id, period.kind, period.key, document.revision, period.from, period.to, version, options.trigger, options.by?.id ?? null, now, document],
      );
      const notice: BulletinPublishedNotice = {
        name: 'bulletin.published',
        at: now.toISOString(),
        data: { kind: period.kind, period: period.key, id: document.id, title: document.title, path: bulletinPath(period) },
      };
      await addFeedNotice(m, notice);
      await notify(m, { event: 'bulletin.published', subject: { title: titleOf('bulletin.published'), path: notice.data.path, lines: [`${document.title.zh} / ${document.title.en}`] } }, now);
      return { outcome: 'created', document };
    });
    // The outbox relays (every process runs one) drain on this hint rather than at their next poll.
    if (result.outcome === 'created' && this.redis.status === 'ready') this.redis.publish(this.keys.outboxHints, '1').catch(() => undefined);
    return result;
  }

  /** The stored document of a period: its latest revision, or the given one; null when there is none. */
  async find(kind: BulletinKind, period: string, revision?: number): Promise<BulletinDocument | null> {
    if (revision === undefined) return (await this.latestRow(kind, period))?.document ?? null;
    const [row]: { document: BulletinDocument }[] = await this.db.query(`SELECT document FROM bulletin WHERE kind = $1 AND period = $2 AND revision = $3`, [
      kind,
      period,
      revision,
    ]);
    return row?.document ?? null;
  }

  /**
   * Stored bulletins, newest period first, each period once (its latest revision). `from`/`to`:
   * local dates; a period is listed when it starts within [from, to].
   */
  async list(filter: { kind?: BulletinKind; fromDay?: number; toDay?: number; limit: number }): Promise<BulletinSummary[]> {
    const from = filter.fromDay !== undefined ? dailyPeriod(filter.fromDay, this.offsetMinutes).from : null;
    const to = filter.toDay !== undefined ? dailyPeriod(filter.toDay, this.offsetMinutes).to : null;
    const rows: ListRow[] = await this.db.query(
      `SELECT DISTINCT ON (b.kind, b.period) b.id, b.kind, b.period, b.revision, b.period_from, b.period_to, b.formula_version,
              b.trigger, b.generated_at, b.document -> 'title' AS title,
              count(*) OVER (PARTITION BY b.kind, b.period)::int AS revisions
         FROM bulletin b
        WHERE ($1::text IS NULL OR b.kind = $1) AND ($2::timestamptz IS NULL OR b.period_from >= $2) AND ($3::timestamptz IS NULL OR b.period_from < $3)
        ORDER BY b.kind, b.period, b.revision DESC`,
      [filter.kind ?? null, from, to],
    );
    return rows
      .sort((a, b) => new Date(b.period_from).getTime() - new Date(a.period_from).getTime() || a.kind.localeCompare(b.kind))
      .slice(0, filter.limit)
      .map((r) => ({
        id: r.id,
        kind: r.kind,
        period: r.period,
        revision: r.revision,
        title: r.title,
        from: new Date(r.period_from).toISOString(),
        to: new Date(r.period_to).toISOString(),
        formulaVersion: r.formula_version,
        generatedAt: new Date(r.generated_at).toISOString(),
        trigger: r.trigger,
        revisions: r.revisions,
        path: bulletinPath({ kind: r.kind, key: r.period }),
      }));
  }

  /** The period of a local day index of the kind (for callers holding a date). */
  periodOfDay(kind: BulletinKind, day: number): BulletinPeriod {
    return kind === 'daily' ? dailyPeriod(day, this.offsetMinutes) : weeklyPeriodOfDay(day, this.offsetMinutes);
  }

  /** Today's local day index at the clock. */
  today(): number {
    return localDay(this.clock.now(), this.offsetMinutes);
  }

  private async latestRow(kind: BulletinKind, period: string): Promise<BulletinRow | null> {
    const [row]: BulletinRow[] = await this.db.query(`SELECT * FROM bulletin WHERE kind = $1 AND period = $2 ORDER BY revision DESC LIMIT 1`, [kind, period]);
    return row ?? null;
  }
}
