import type { CaseAction, CaseStatus } from '@wangge/domain';
import type { EventDraft } from '../transition';

/**
 * Stage limits (issue 22, item 2; domain.md 2, 数字城管 practice): the command centre's own steps
 * on a case are timed — 受理/立案 (`register`) from the report, 派遣 (`dispatch`) from the
 * registration, 核查/核实 (`check`) from the resolve or the operator's request — and a missed one is
 * counted against the post that missed it and escalated once to the leader on duty (值班长).
 */
export const STAGES = ['register', 'dispatch', 'check'] as const;
export type Stage = (typeof STAGES)[number];

/** The command centre's posts a stage is counted against (受理员, 派遣员, 监督员). */
export const STAGE_POSTS = ['intake', 'dispatch', 'supervisor'] as const;
export type StagePost = (typeof STAGE_POSTS)[number];

export const POST_OF_STAGE: Record<Stage, StagePost> = { register: 'intake', dispatch: 'dispatch', check: 'supervisor' };

export const POST_NAMES: Record<StagePost, { zh: string; en: string }> = {
  intake: { zh: '受理员', en: 'intake operator' },
  dispatch: { zh: '派遣员', en: 'dispatch operator' },
  supervisor: { zh: '监督员', en: 'supervisor (warden)' },
};

export const STAGE_NAMES: Record<Stage, { zh: string; en: string }> = {
  register: { zh: '受理立案', en: 'registration' },
  dispatch: { zh: '派遣', en: 'dispatch' },
  check: { zh: '核查', en: 'on-site check' },
};

/** What a transition does to the case's stages: the ones it ends (by the actor) and the ones it starts. */
export interface StageChange {
  end: Stage[];
  start: Stage[];
}

/**
 * The stages an applied action ends and starts (pure). `from`: the status before it. Ending a stage
 * that is not open, or starting one that is, changes nothing (the service makes both idempotent).
 */
export function stageChange(action: CaseAction, from: CaseStatus): StageChange {
  switch (action) {
    case 'register':
      // A registration ends the wait, and a check the operator no longer needs.
      return { end: ['register', 'check'], start: ['dispatch'] };
    case 'reject':
      return { end: ['register', 'check'], start: [] };
    case 'merge':
      return { end: ['register', 'dispatch', 'check'], start: [] };
    case 'cancel':
      return { end: [...STAGES], start: [] };
    case 'verify-request':
      return { end: [], start: ['check'] };
    case 'dispatch':
      return { end: from === 'registered' ? ['dispatch'] : [], start: [] };
    case 'return':
      return { end: [], start: ['dispatch'] };
    case 'resolve':
      return { end: [], start: ['check'] };
    case 'verify':
      return { end: ['check'], start: [] };
    default:
      return { end: [], start: [] };
  }
}

/** The stage's limit in minutes, from the configuration. */
export function stageLimitMin(stage: Stage, limits: { register: number; dispatch: number; check: number }): number {
  return limits[stage];
}

/** Whether a stage ended in time: by its due time, or by the dispatcher's routing (automatic counts as on time). */
export function endedOnTime(stage: { dueAt: Date; endedAt: Date; automatic: boolean }): boolean {
  return stage.automatic || stage.endedAt.getTime() <= stage.dueAt.getTime();
}

/** Who a check task goes to, as its event tells (null: the operators, no warden on duty). */
export interface CheckAssignee {
  id: string;
  name: string;
  distanceM: number | null;
}

/**
 * The `case.check_assigned` event (pure): the check task given to a warden (`tookOnDuty`: one who
 * went on duty after the operators held it) or, with none on duty, to the operators.
 */
export function checkAssignedDraft(status: CaseStatus, assignee: CheckAssignee | null, dueAt: Date, tookOnDuty = false): EventDraft {
  const away = (en: boolean) => (assignee?.distanceM == null ? '' : en ? ` (${assignee.distanceM} m away)` : `（相距 ${assignee.distanceM} 米）`);
  const words = !assignee
    ? { en: 'no warden on duty in the cell: the operator checks', zh: '网格内无在岗网格员，由受理员核查' }
    : tookOnDuty
      ? { en: `check task to warden ${assignee.name}, on duty now${away(true)}`, zh: `网格员 ${assignee.name} 已上岗，核查任务转派给其${away(false)}` }
      : { en: `check task to warden ${assignee.name}${away(true)}`, zh: `核查任务派给网格员 ${assignee.name}${away(false)}` };
  return {
    type: 'case.check_assigned',
    from: status,
    to: status,
    reason: words.en,
    note: words.zh,
    evidence: { assignee, dueAt: dueAt.toISOString(), ...(tookOnDuty ? { fromOperator: true } : {}) },
  };
}

/** The `case.stage_overdue` event (pure): the stage missed its limit, counted against its post, told to the leaders on duty. */
export function stageOverdueDraft(status: CaseStatus, stage: Stage, dueAt: Date, leaders: readonly { id: string; name: string }[]): EventDraft {
  const post = POST_OF_STAGE[stage];
  const names = leaders.map((l) => l.name).join(', ');
  return {
    type: 'case.stage_overdue',
    from: status,
    to: status,
    reason: `${STAGE_NAMES[stage].en} limit missed (${POST_NAMES[post].en}); escalated to the leader on duty${names ? `: ${names}` : ''}`,
    note: `${STAGE_NAMES[stage].zh}超时（${POST_NAMES[post].zh}），已报值班长${names ? `：${names}` : ''}`,
    evidence: { stage, post, dueAt: dueAt.toISOString(), escalatedTo: leaders },
  };
}
