// The campaign API's shapes the console reads (GET /api/v1/campaigns, /campaigns/:id; docs/campaigns.md).
export type ItemState = 'not_started' | 'in_progress' | 'overdue' | 'done' | 'withdrawn';
export type CampaignState = 'active' | 'completed' | 'cancelled';
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
  withdrawn: { at: string; reason: string; by: string | null } | null;
  canEdit?: boolean;
}

export interface CampaignView {
  id: string;
  name: string;
  kind: string;
  from: string;
  to: string;
  owner: { id: string; name: string };
  milestones: { code: string; name: string; dueAt: string }[];
  state: CampaignState;
  ended: { at: string; note: string | null; by: string | null } | null;
  counts: { items: number; itemsDone: number; itemsOverdue: number; milestones: number; milestonesDone: number; milestonesOverdue: number };
}

export interface CampaignDetail extends CampaignView {
  items: CampaignItemView[];
  canEdit: boolean;
}

/** One entry of an item's history (GET /api/v1/campaigns/:id/items/:itemId/history). */
export interface ItemHistoryEntry {
  id: string;
  source: 'change' | 'progress';
  kind: string;
  at: string;
  by: { name: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  note: string | null;
}

export interface OwnerChoice {
  id: string;
  name: string;
  role: string;
}

/** Map and table colours of an item's state. */
export const STATE_COLOURS: Record<ItemState, string> = { not_started: '#7f8c8d', in_progress: '#2980b9', overdue: '#c0392b', done: '#27ae60', withdrawn: '#d5d8dc' };
