import type { ItemState, MilestoneInput, MilestoneState } from './campaign.types';
import { CampaignError } from './campaign-error';

/** A milestone is done once done; past due and not done, overdue; else pending. */
export function milestoneState(m: { dueAt: Date; doneAt: Date | null; overdueAt: Date | null }, now: Date): MilestoneState {
  if (m.doneAt) return 'done';
  return m.overdueAt || m.dueAt.getTime() <= now.getTime() ? 'overdue' : 'pending';
}

/** Withdrawn: withdrawn; every milestone done (or 100 % without milestones): done; one overdue: overdue; any progress: in progress. */
export function itemState(milestones: readonly MilestoneState[], progress: { percent: number; reports: number; withdrawn?: boolean }): ItemState {
  if (progress.withdrawn) return 'withdrawn';
  if (milestones.length > 0 ? milestones.every((s) => s === 'done') : progress.percent >= 100) return 'done';
  if (milestones.includes('overdue')) return 'overdue';
  return progress.reports > 0 || progress.percent > 0 || milestones.includes('done') ? 'in_progress' : 'not_started';
}

const CODE = /^[A-Za-z0-9_.-]{1,40}$/;

/** Checks milestones as given (field names as in the request) and returns them with their instants, in order. */
export function checkMilestones(input: readonly MilestoneInput[], field = 'milestones'): { code: string; name: string; dueAt: Date }[] {
  const seen = new Set<string>();
  return input.map((m, i) => {
    if (!CODE.test(m.code)) throw CampaignError.badInput(`${field}[${i}].code`, 'letters, digits, _ . - (1 to 40)');
    if (seen.has(m.code)) throw CampaignError.badInput(`${field}[${i}].code`, `code ${m.code} is given twice`);
    seen.add(m.code);
    const name = m.name.trim();
    if (name.length === 0 || name.length > 100) throw CampaignError.badInput(`${field}[${i}].name`, '1 to 100 characters');
    const dueAt = new Date(m.dueAt);
    if (Number.isNaN(dueAt.getTime())) throw CampaignError.badInput(`${field}[${i}].dueAt`, 'an ISO 8601 instant');
    return { code: m.code, name, dueAt };
  });
}
