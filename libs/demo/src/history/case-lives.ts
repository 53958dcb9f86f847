import type { CaseStatus } from '@wangge/domain';
import { metresBetween } from '@wangge/geo';
import { ANONYMOUS_CITIZEN, SimulatedCase, type Actor, type HistoryReport, type HistoryRules, type PastAppeal } from '@wangge/workflow';
import type { HistoryPeople } from './history-people';
import type { Random } from './random';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OPEN: readonly CaseStatus[] = ['reported', 'registered', 'dispatched', 'in_progress', 'resolved'];

/** An appeal of the history, for its owner (evaluation) to write in the history's transaction. */
export type HistoryAppeal = PastAppeal;

/** A report the history will receive: when (for the first of a spot's chain, later ones come after the last closes), what and where. */
export interface PlannedReport {
  id: string;
  at: Date;
  source: 'warden' | 'citizen' | 'hotline';
  category: string;
  point: { lng: number; lat: number };
  /** Index of its routing (the batch lookup of every planned point). */
  n: number;
}

/** What every case's life shares: the rules, the people, the cases so far, and where the history ends. */
export interface World {
  rules: HistoryRules;
  people: HistoryPeople;
  end: Date;
  offsetMinutes: number;
  duplicate: { radiusM: number; windowH: number };
  cases: Map<string, SimulatedCase>;
  byCategory: Map<string, SimulatedCase[]>;
  appeals: HistoryAppeal[];
  /** The report of a planned report, with its place and category (null: outside the district or not catalogued). */
  reportOf(plan: PlannedReport, reporter: Actor, extra: Pick<HistoryReport, 'duplicateOf' | 'input'>): HistoryReport | null;
  /** The cell a planned report falls in. */
  cellOf(plan: PlannedReport): string | null;
  appealsOn: boolean;
}

/** Local hour of an instant (fractional). */
function hourOf(w: World, t: number): number {
  return ((((t + w.offsetMinutes * MINUTE) / HOUR) % 24) + 24) % 24;
}

/** The instant moved into the day (07:30-21:30 local): a step planned at night waits for the morning. */
function daytime(w: World, t: number, rng: Random): number {
  const h = hourOf(w, t);
  if (h >= 7.5 && h < 21.5) return t;
  const toMorning = (h >= 21.5 ? 24 - h : 0) + 7.5 - (h >= 21.5 ? 0 : h);
  return t + toMorning * HOUR + rng.between(0, 90) * MINUTE;
}

/**
 * How long the cell's warden takes to reach a check task: mostly within its 30-minute limit (核查),
 * now and then later (the stage is then marked against the 监督员 post).
 */
function checkDelay(rng: Random): number {
  return (rng.chance(0.8) ? rng.between(8, 28) : rng.between(30, 120)) * MINUTE;
}

/** A post on duty at `t`: the day shift (08:00-20:00) is post 1, the night post 2. */
export function postOnDuty(w: World, post: 'shouli' | 'paiqian' | 'zhiban', t: number): Actor {
  const h = hourOf(w, t);
  const actor = w.people.posts.get(`${post}${h >= 8 && h < 20 ? 1 : 2}`) ?? w.people.posts.get(`${post}1`);
  if (!actor) throw new Error(`the demo has no ${post} post`);
  return actor;
}

function chiefOf(w: World, c: SimulatedCase): Actor {
  const id = c.row.assignee_chief_id;
  const chief = id === null ? undefined : w.people.chiefs.get(id);
  if (!chief) throw new Error(`case ${c.id} has no chief to act`);
  return chief.actor;
}

const CITIZEN_SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙马胡朱郭'];
const CITIZEN_CHANNELS = ['wechat', 'app', 'web'];
const RETURN_REASONS = ['非本路段，请重新派遣 / not my road segment, please re-route', '不属本人职责范围 / not within my remit'];
const REJECT_REASONS = ['不属于城市管理受理范围 / not within city management’s remit', '描述不清且现场未发现 / unclear and not found on site'];
const REWORK_REASONS = ['整改不到位，现场仍有问题 / not fixed properly, the problem is still there', '清理不彻底 / not cleared completely'];
const EXTENSION_REASONS = ['需协调专业部门处置 / needs a department to fix', '需采购配件更换 / a part must be ordered', '当事人外出，需约谈 / the owner is away'];
const APPEAL_REASONS = ['恶劣天气无法施工 / bad weather stopped the work', '需其他部门配合，已及时协调 / waited for another department', '系统派遣有误，已及时反馈 / wrongly dispatched, reported at once'];
const DESCRIPTIONS = ['发现{name}，请尽快处理', '{place}附近{name}', '{name}，影响市容和通行', '{place}有{name}问题，已拍照留存'];

/**
 * A report arriving at its time: a warden of the cell, a citizen, or the hotline's 受理员 for a caller.
 * The possible-duplicate flag is the report rule's: the nearest open case of the same category
 * within the radius, reported within the window.
 */
function arrive(w: World, plan: PlannedReport, rng: Random): SimulatedCase | null {
  const at = plan.at.getTime();
  const cell = w.cellOf(plan);
  if (!cell) return null;
  let reporter: Actor = ANONYMOUS_CITIZEN;
  let reporterContact: { name?: string; phone?: string } | undefined;
  let channel: string | undefined;
  if (plan.source === 'warden') {
    const warden = w.people.wardenOfCell.get(cell);
    if (!warden) return null;
    reporter = warden;
  } else {
    reporterContact = { name: `${rng.pick(CITIZEN_SURNAMES)}${rng.chance(0.5) ? '先生' : '女士'}`, phone: `1${rng.pick(['3', '5', '8'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}` };
    if (plan.source === 'hotline') {
      reporter = postOnDuty(w, 'shouli', at);
      channel = '12345';
    } else channel = rng.pick(CITIZEN_CHANNELS);
  }
  let duplicateOf: string | null = null;
  if (w.duplicate.radiusM > 0 && w.duplicate.windowH > 0) {
    let nearest = Infinity;
    for (const other of w.byCategory.get(plan.category) ?? []) {
      if (at - other.row.created_at.getTime() > w.duplicate.windowH * HOUR || !OPEN.includes(other.status)) continue;
      const metres = metresBetween(other.row, plan.point);
      if (metres <= w.duplicate.radiusM && metres < nearest) [nearest, duplicateOf] = [metres, other.id];
    }
  }
  const template = rng.pick(DESCRIPTIONS);
  const report = w.reportOf(plan, reporter, {
    duplicateOf,
    input: {
      categoryCode: plan.category,
      description: template,
      location: plan.point,
      channel,
      reporter: reporterContact,
    },
  });
  if (!report) return null;
  const c = SimulatedCase.reported(report, w.rules);
  w.cases.set(c.id, c);
  w.byCategory.set(plan.category, [...(w.byCategory.get(plan.category) ?? []), c]);
  return c;
}

/**
 * The life of one case from its report: registered (by itself, or by the 受理员 after a look or a
 * warden's check; some rejected, duplicates merged), routed and dispatched, accepted (some
 * returned and routed again), handled on time, after an extension or late (overdue marks and
 * escalations come from the clock; some appealed), verified by the cell's warden (some reworked),
 * closed. Each `yield` is the instant of the next step; the scheduler resumes the life then.
 */
export function* caseLife(w: World, plan: PlannedReport, rng: Random, done?: (c: SimulatedCase | null) => void): Generator<number, void, void> {
  let now = plan.at.getTime();
  const later = (t: number) => (now = Math.max(Math.round(t), now + 1_000));
  yield now;
  const c = arrive(w, plan, rng);
  if (!c) return done?.(null);
  try {
    if (c.status === 'reported') {
      yield later(daytime(w, now + rng.between(3, 25) * MINUTE, rng));
      const operator = postOnDuty(w, 'shouli', now);
      const target = c.row.possible_duplicate_of ? w.cases.get(c.row.possible_duplicate_of) : undefined;
      if (target) {
        if (OPEN.includes(target.status) && target.status !== 'resolved' && ['reported', 'registered'].includes(c.status)) {
          c.act('merge', postOnDuty(w, 'paiqian', now), { targetId: target.id, reason: '重复上报，合并 / duplicate report, merged' }, new Date(now), { target });
        } else c.act('reject', operator, { reason: '问题已处置 / already handled' }, new Date(now));
        return;
      }
      if (plan.source !== 'warden' && rng.chance(0.07)) {
        c.act('reject', operator, { reason: rng.pick(REJECT_REASONS) }, new Date(now));
        return;
      }
      if (rng.chance(0.12)) {
        c.act('verify-request', operator, { note: '请网格员现场核实 / warden, please check on site' }, new Date(now));
        yield later(daytime(w, now + checkDelay(rng), rng));
        const warden = w.people.wardenOfCell.get(c.row.grid_cell_code);
        if (!warden) return;
        const found = rng.chance(0.85);
        c.act('verify', warden, { passed: found, note: found ? '现场属实 / confirmed on site' : '现场未发现 / not found on site' }, new Date(now));
        yield later(now + rng.between(5, 20) * MINUTE);
        if (!found) {
          c.act('reject', postOnDuty(w, 'shouli', now), { reason: '经核实不存在 / not found by the warden' }, new Date(now));
          return;
        }
      }
      c.act('register', postOnDuty(w, 'shouli', now), {}, new Date(now));
    }
    // The dispatcher's route job, a moment after the registration.
    yield later(now + rng.between(2, 30) * 1_000);
    if (!c.route(new Date(now))) return;
    yield* handle(w, c, rng, () => now, later);
  } finally {
    done?.(c);
  }
}

/** From dispatched to closed. */
function* handle(w: World, c: SimulatedCase, rng: Random, clock: () => number, later: (t: number) => number): Generator<number, void, void> {
  const at = () => new Date(clock());
  // Read through a function: each step changes the status (no narrowing across steps).
  const status = (): CaseStatus => c.status;
  if (rng.chance(0.01)) {
    yield later(clock() + rng.between(20, 120) * MINUTE);
    c.act('cancel', postOnDuty(w, 'paiqian', clock()), { reason: '重复立案，作废 / registered twice, cancelled' }, at());
    return;
  }
  if (rng.chance(0.05)) {
    yield later(daytime(w, clock() + rng.between(15, 90) * MINUTE, rng));
    c.act('return', chiefOf(w, c), { reason: rng.pick(RETURN_REASONS) }, at());
    yield later(clock() + rng.between(2, 10) * 1_000);
    if (!c.route(at())) return;
  }
  const dispatched = clock();
  const deadline = c.row.deadline_at?.getTime() ?? dispatched + 24 * HOUR;
  const span = Math.max(deadline - dispatched, 30 * MINUTE);
  yield later(Math.min(daytime(w, dispatched + rng.between(5, 90) * MINUTE, rng), dispatched + 0.2 * span));
  c.act('accept', chiefOf(w, c), {}, at());

  const fate = rng.next();
  let resolveAt: number;
  if (fate < 0.06 && c.row.deadline_at) {
    // Asks for more time, the 值班长 approves; resolved before the new deadline.
    yield later(dispatched + rng.between(0.5, 0.8) * span);
    c.act('extend', chiefOf(w, c), { hours: rng.pick([24, 48, 72]), reason: rng.pick(EXTENSION_REASONS) }, at());
    yield later(clock() + rng.between(20, 90) * MINUTE);
    c.act('extend', postOnDuty(w, 'zhiban', clock()), { note: '同意延期 / approved' }, at());
    const moved = c.row.deadline_at?.getTime() ?? deadline;
    resolveAt = clock() + rng.between(0.3, 0.9) * (moved - clock());
  } else if (fate < 0.2) {
    // Late: the clock marks it overdue at the deadline and escalates it; some chiefs appeal.
    resolveAt = deadline + rng.between(0.2, 1.6) * span;
    if (w.appealsOn && rng.chance(0.35)) {
      const appealAt = daytime(w, deadline + rng.between(1, 4) * HOUR, rng);
      if (appealAt < resolveAt) {
        yield later(appealAt);
        yield* appeal(w, c, rng, clock, later);
      }
    }
  } else {
    resolveAt = dispatched + rng.between(0.15, 0.8) * span;
    // Fixed by day when the limit leaves the time (a work-day limit spans nights).
    const byDay = daytime(w, resolveAt, rng);
    if (byDay < deadline) resolveAt = byDay;
  }
  yield later(resolveAt);
  if (status() !== 'in_progress') return;
  c.act('resolve', chiefOf(w, c), { note: '已整改完毕 / fixed' }, at());
  // The cell's warden checks on site; now and then the fix fails and is reworked.
  for (let round = 0; round < 3; round++) {
    yield later(daytime(w, clock() + checkDelay(rng), rng));
    const warden = w.people.wardenOfCell.get(c.row.grid_cell_code);
    if (!warden || status() !== 'resolved') return;
    const passed = round > 0 || !rng.chance(0.1);
    if (passed) {
      c.act('verify', warden, { passed: true, note: '核查通过，结案 / checked, closed' }, at());
      return;
    }
    c.act('verify', warden, { passed: false, reason: rng.pick(REWORK_REASONS) }, at());
    yield later(daytime(w, clock() + rng.between(1, 8) * HOUR, rng));
    c.act('resolve', chiefOf(w, c), { note: '已重新整改 / fixed again' }, at());
  }
}

/** The chief appeals the overdue mark; the 值班长 decides the next morning. */
function* appeal(w: World, c: SimulatedCase, rng: Random, clock: () => number, later: (t: number) => number): Generator<number, void, void> {
  c.runClock(new Date(clock()));
  const chiefId = c.row.assignee_chief_id;
  if (chiefId === null || !c.markedOverdueInAssignment()) return;
  const chief = chiefOf(w, c);
  const record = { appealId: rng.uuid(), chiefId };
  const reason = rng.pick(APPEAL_REASONS);
  c.appeal(chief, reason, record, new Date(clock()));
  const filed: HistoryAppeal = {
    id: record.appealId, caseId: c.id, chiefId, streetCode: c.row.street_code, reason, createdBy: chief.id, createdAt: new Date(clock()),
    decidedBy: null, decidedAt: null, approved: null, note: null,
  };
  w.appeals.push(filed);
  const nextMorning = clock() + (24 - hourOf(w, clock()) + rng.between(9, 11)) * HOUR;
  yield later(nextMorning);
  const leader = postOnDuty(w, 'zhiban', clock());
  const approved = rng.chance(0.45);
  const note = approved ? '情况属实，予以核减 / accepted' : '理由不充分 / not sufficient';
  c.decideAppeal(leader, { ...record, approved, note }, new Date(clock()));
  Object.assign(filed, { decidedBy: leader.id, decidedAt: new Date(clock()), approved, note });
}

/** A spot where one problem keeps coming back (a recurrence hotspot): reported again a few days after each close. */
export function* spotLife(w: World, plans: readonly PlannedReport[], rng: Random): Generator<number, void, void> {
  let at = plans[0]?.at.getTime() ?? 0;
  for (const plan of plans) {
    let closedAt: number | null = null;
    yield* caseLife(w, { ...plan, at: new Date(at) }, rng, (c) => {
      closedAt = c && c.status === 'closed' ? (c.row.closed_at?.getTime() ?? null) : null;
    });
    if (closedAt === null) return;
    at = daytime(w, closedAt + rng.between(1, 4) * 24 * HOUR, rng);
    if (at > w.end.getTime()) return;
  }
}
