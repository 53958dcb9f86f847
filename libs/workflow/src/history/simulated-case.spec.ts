import { HolidayCalendar } from '@wangge/clock';
import type { RoutingFound } from '@wangge/geo';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_CITIZEN, type Actor } from '../actor';
import { SimulatedCase, type HistoryReport, type HistoryRules } from './simulated-case';

const chief = (id: number, name: string, level: 1 | 2 | 3) => ({ id, name, level, available: true, deputy: null });
const routing: RoutingFound = {
  place: {
    cell_code: '410104001001001', street_code: '410104001', street_name: '北下街街道', community_code: '410104001001', community_name: '新华社区',
    segment_id: 7, segment_seq: 3, segment_ref: 'R09-3', road_id: 2, road_name: '文治路', distance_m: 12,
  },
  routingPlace: {
    community: { code: '410104001001', name: '新华社区' },
    street: { code: '410104001', name: '北下街街道' },
    segment: { id: 7, seq: 3, roadId: 2, roadName: '文治路', distanceM: 12 },
    radiusM: 30,
  },
  candidates: { segmentChief: chief(30, '张三', 3), roadChiefs: { 2: chief(20, '李四', 2), 1: chief(10, '王五', 1) }, communityChief: null, streetChief: null },
};
const rules: HistoryRules = {
  calendar: HolidayCalendar.fromRows([{ date: '2026-10-01', kind: 'holiday', name: '国庆节' }]),
  offsetMinutes: 480,
  verifyLimitWorkHours: 2,
  autoRegisterSources: ['warden'],
  chiefs: new Map([
    [30, { name: '张三', level: 3, available: true }],
    [31, { name: '赵六', level: 3, available: true }],
    [20, { name: '李四', level: 2, available: true }],
    [10, { name: '王五', level: 1, available: true }],
  ]),
  stages: {
    limitsMin: { register: 10, dispatch: 15, check: 30 },
    leadersOnDuty: () => [{ id: '00000000-0000-4000-8000-000000000099', name: '值班长' }],
    checkWardenOf: () => ({ id: '00000000-0000-4000-8000-000000000001', name: '网格员' }),
  },
};
const warden: Actor = { id: '00000000-0000-4000-8000-000000000001', role: 'warden', name: '网格员', chiefId: null, streetCode: '410104001', cellCodes: new Set(['410104001001001']) };
const chiefActor: Actor = { id: '00000000-0000-4000-8000-000000000030', role: 'chief', name: '张三', chiefId: 30, streetCode: null, cellCodes: new Set() };
const local = (t: string) => new Date(`${t}+08:00`);

function report(over: Partial<HistoryReport> = {}): HistoryReport {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    input: { categoryCode: 'E0102', description: '暴露垃圾', location: { lng: 113.68, lat: 34.74 } },
    reporter: warden,
    source: 'warden',
    category: { code: 'E0102', kind: 'event', name: '暴露垃圾', name_en: 'Exposed garbage', auto_register: true, active: true },
    standardId: 5,
    limit: { value: 4, clockType: 'work_hours' },
    routing,
    duplicateOf: null,
    trackingTokenHash: 'a'.repeat(64),
    at: local('2026-10-09T16:00:00'),
    ...over,
  };
}

describe('SimulatedCase: the closed loop on a simulated clock', () => {
  it('registers a warden report by itself, routes it to the segment chief, and runs its deadline on the work-hours calendar', () => {
    const c = SimulatedCase.reported(report(), rules);
    expect(c.events.map((e) => [e.type, e.actor.role])).toEqual([['case.reported', 'warden'], ['case.registered', 'system']]);
    expect(c.route(local('2026-10-09T16:00:05'))).toBe(true);
    expect(c.row).toMatchObject({ status: 'dispatched', assignee_chief_id: 30, assignee_name: '张三', routing_reason: 'road 文治路 segment 3 at 12 m → level-3 chief 张三' });
    // Friday 16:00:05 + 4 work hours: 2 h on Friday, the weekend does not count, 2 h on Monday → Monday 10:00:05.
    expect(c.row.deadline_at).toEqual(local('2026-10-12T10:00:05'));
  });

  it('marks a missed limit overdue at the deadline and escalates it one level each further limit, then stops', () => {
    const c = SimulatedCase.reported(report(), rules);
    c.route(local('2026-10-09T16:00:05'));
    c.act('accept', chiefActor, {}, local('2026-10-09T16:30:00'));
    c.runClock(local('2026-10-20T00:00:00'));
    const clock = c.events.filter((e) => e.actor.role === 'system' && e.type !== 'case.registered' && e.type !== 'case.dispatched');
    expect(clock.map((e) => [e.type, e.at.toISOString(), e.evidence.to ?? null])).toEqual([
      ['case.overdue', local('2026-10-12T10:00:05').toISOString(), null],
      ['case.escalated', local('2026-10-12T10:00:05').toISOString(), 20],
      ['case.escalated', local('2026-10-12T16:00:05').toISOString(), 10],
    ]);
    expect(c.row).toMatchObject({ overdue: true, escalation_level: 2, escalated_to: [20, 10], next_check_at: null });
    expect(c.events.at(-1)?.state).toMatchObject({ escalationLevel: 2, escalatedTo: [20, 10], overdue: true, formerChiefs: [20, 30] });
  });

  it('keeps each event in time order, and refuses what the rule refuses', () => {
    const c = SimulatedCase.reported(report(), rules);
    c.route(local('2026-10-09T16:00:05'));
    expect(() => c.act('resolve', chiefActor, {}, local('2026-10-09T16:10:00'))).toThrow(/cannot resolve a case that is dispatched/);
    c.act('accept', chiefActor, {}, local('2026-10-09T16:30:00'));
    c.act('resolve', chiefActor, { note: '已清理' }, local('2026-10-09T17:00:00'));
    c.act('verify', warden, { passed: false, reason: '未清理干净' }, local('2026-10-09T17:30:00'));
    c.act('resolve', chiefActor, { note: '再次清理' }, local('2026-10-09T17:50:00'));
    c.act('verify', warden, { passed: true }, local('2026-10-09T17:55:00'));
    expect(c.events.map((e) => e.type)).toEqual([
      'case.reported', 'case.registered', 'case.dispatched', 'case.accepted', 'case.resolved', 'case.check_assigned', 'case.reworked', 'case.resolved',
      'case.check_assigned', 'case.closed',
    ]);
    const times = c.events.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(c.row).toMatchObject({ status: 'closed', rework_count: 1, closed_at: local('2026-10-09T17:55:00') });
  });

  it("records the command centre's stages as the workflow does: automatic ones, check tasks, and a missed limit marked at its due time", () => {
    const c = SimulatedCase.reported(report(), rules);
    c.route(local('2026-10-09T16:00:05'));
    c.act('accept', chiefActor, {}, local('2026-10-09T16:30:00'));
    c.act('resolve', chiefActor, { note: '已清理' }, local('2026-10-09T17:00:00'));
    expect(c.row).toMatchObject({ check_assigned: true, check_warden_id: warden.id });
    expect(c.events.at(-1)).toMatchObject({ type: 'case.check_assigned', evidence: { assignee: { id: warden.id }, dueAt: local('2026-10-09T17:30:00').toISOString() } });
    // Verified at its due time: on time; the task is done.
    c.act('verify', warden, { passed: true }, local('2026-10-09T17:30:00'));
    expect(c.row).toMatchObject({ check_assigned: false, check_warden_id: null });
    const stages = c.stages.rows.map((s) => [s.stage, s.startedAt.toISOString(), s.dueAt.toISOString(), s.endedAt?.toISOString(), s.automatic, s.overdueAt]);
    expect(stages).toEqual([
      ['register', local('2026-10-09T16:00:00').toISOString(), local('2026-10-09T16:10:00').toISOString(), local('2026-10-09T16:00:00').toISOString(), true, null],
      ['dispatch', local('2026-10-09T16:00:00').toISOString(), local('2026-10-09T16:15:00').toISOString(), local('2026-10-09T16:00:05').toISOString(), true, null],
      ['check', local('2026-10-09T17:00:00').toISOString(), local('2026-10-09T17:30:00').toISOString(), local('2026-10-09T17:30:00').toISOString(), false, null],
    ]);

    // A citizen's report registered 25 minutes later: its register stage is marked at +10 minutes, told to the leader on duty.
    const late = SimulatedCase.reported(report({ id: '33333333-3333-4333-8333-333333333333', source: 'citizen', reporter: ANONYMOUS_CITIZEN }), rules);
    const operator: Actor = { id: '00000000-0000-4000-8000-000000000077', role: 'operator', name: '受理员', chiefId: null, streetCode: null, cellCodes: new Set() };
    late.act('register', operator, {}, local('2026-10-09T16:25:00'));
    expect(late.events.map((e) => [e.type, e.at.toISOString()])).toEqual([
      ['case.reported', local('2026-10-09T16:00:00').toISOString()],
      ['case.stage_overdue', local('2026-10-09T16:10:00').toISOString()],
      ['case.registered', local('2026-10-09T16:25:00').toISOString()],
    ]);
    expect(late.events[1].evidence).toMatchObject({ stage: 'register', post: 'intake', escalatedTo: [{ name: '值班长' }] });
    expect(late.stages.rows[0]).toMatchObject({ stage: 'register', endedBy: operator.id, automatic: false, overdueAt: local('2026-10-09T16:10:00') });
    expect(late.stages.rows[1]).toMatchObject({ stage: 'dispatch', endedAt: null, dueAt: local('2026-10-09T16:40:00') });
  });

  it('a returned case is routed past the chief who returned it', () => {
    const c = SimulatedCase.reported(report(), rules);
    c.route(local('2026-10-09T16:00:05'));
    c.act('return', chiefActor, { reason: '非本路段' }, local('2026-10-09T16:20:00'));
    c.route(local('2026-10-09T16:20:03'));
    expect(c.row).toMatchObject({ status: 'dispatched', assignee_chief_id: 20 });
    expect(c.row.routing_reason).toContain('(passed over chiefs who returned it: 30)');
  });

  it('a citizen report waits for an operator; a report flagged as a duplicate does not register itself', () => {
    expect(SimulatedCase.reported(report({ source: 'citizen', reporter: ANONYMOUS_CITIZEN }), rules).status).toBe('reported');
    expect(SimulatedCase.reported(report({ duplicateOf: '22222222-2222-4222-8222-222222222222' }), rules).events[0].evidence).toEqual({
      possibleDuplicateOf: '22222222-2222-4222-8222-222222222222',
    });
  });
});
