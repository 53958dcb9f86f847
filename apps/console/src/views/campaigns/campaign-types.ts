// The campaign API's shapes the console reads (GET /api/v1/campaigns, /campaigns/:id; docs/campaigns.md).
export type ItemState = 'not_started' | 'in_progress' | 'overdue' | 'done';
export type MilestoneState = 'pending' | 'done' | 'overdue';

export interface MilestoneView {
  code: string;
  name: string;
  dueAt: string;
  doneAt: string | null;
  state: MilestoneState;
  onTime: boolean | null;
}

export interface CampaignItemView {
  id: string;
  campaignId: string;
  place: { id: string; name: string; kind: string; lng: number; lat: number };
  street: { code: string };
  owner: { id: string; name: string };
  percent: number;
  state: ItemState;
  milestones: MilestoneView[];
  lastProgress: { at: string; note: string; by: { name: string } } | null;
}

export interface CampaignView {
  id: string;
  name: string;
  kind: string;
  from: string;
  to: string;
  owner: { id: string; name: string };
  milestones: { code: string; name: string; dueAt: string }[];
  counts: { items: number; itemsDone: number; itemsOverdue: number; milestones: number; milestonesDone: number; milestonesOverdue: number };
}

export interface CampaignDetail extends CampaignView {
  items: CampaignItemView[];
}

/** Map and table colours of an item's state. */
export const STATE_COLOURS: Record<ItemState, string> = { not_started: '#7f8c8d', in_progress: '#2980b9', overdue: '#c0392b', done: '#27ae60' };
