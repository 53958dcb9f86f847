import type { FieldFormula } from '@wangge/places';
import type { CampaignEventPayload } from '@wangge/events';

/** A milestone as given: a code unique in its campaign or item, a name, a due instant (ISO 8601). */
export interface MilestoneInput {
  code: string;
  name: string;
  dueAt: string;
}

/** `POST /campaigns`. */
export interface NewCampaign {
  name: string;
  kind: string;
  from: string;
  to: string;
  ownerId: string;
  milestones?: MilestoneInput[];
}

/** `POST /campaigns/:id/items`: without milestones, the campaign's. */
export interface NewCampaignItem {
  placeId: string;
  ownerId: string;
  milestones?: MilestoneInput[];
}

/** `POST /campaigns/:id/items/:itemId/progress`. */
export interface ProgressInput {
  milestoneCode?: string;
  done?: boolean;
  percent?: number;
  note: string;
  mediaIds?: string[];
}

/** A campaign runs (active) until it is ended: completed or cancelled. */
export type CampaignState = 'active' | 'completed' | 'cancelled';
export const CAMPAIGN_STATES: readonly CampaignState[] = ['active', 'completed', 'cancelled'];

/** `PATCH /campaigns/:id`: what is given changes; ending it (`state` completed or cancelled) needs a `note`. */
export interface CampaignChange {
  name?: string;
  to?: string;
  ownerId?: string;
  state?: CampaignState;
  note?: string;
}

/** `PATCH /campaigns/:id/items/:itemId`: a new owner, or withdrawn from the ledger (with a reason). */
export interface CampaignItemChange {
  ownerId?: string;
  withdrawn?: boolean;
  reason?: string;
}

/** `PATCH /campaigns/:id/items/:itemId/milestones/:code`: a new due time (调整时间节点) and why. */
export interface MilestoneMove {
  dueAt: string;
  reason: string;
}

/** One entry of an item's history (`GET /campaigns/:id/items/:itemId/history`): a change or a progress report. */
export interface ItemHistoryEntry {
  id: string;
  source: 'change' | 'progress';
  /** change: `item.owner_changed`, `item.withdrawn`, `milestone.moved`; progress: `progress`, `milestone_done`. */
  kind: string;
  at: string;
  by: { id: string | null; name: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  note: string | null;
}

/** A milestone is done, overdue (past due and not done), or pending. */
export type MilestoneState = 'pending' | 'done' | 'overdue';
/** An item's state: withdrawn from the ledger; every milestone done; one overdue; some progress; none yet. */
export type ItemState = NonNullable<CampaignEventPayload['state']>;

export interface MilestoneView {
  code: string;
  name: string;
  dueAt: string;
  doneAt: string | null;
  state: MilestoneState;
  /** Done by its due time (null while not done). */
  onTime: boolean | null;
  /** When the overdue mark was made (and escalated), once. */
  overdueAt: string | null;
  escalatedTo: string[];
}

export interface ProgressView {
  id: string;
  at: string;
  milestoneCode: string | null;
  done: boolean;
  percent: number | null;
  note: string;
  mediaIds: string[];
  by: { id: string | null; name: string };
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
  lastProgress: ProgressView | null;
  createdAt: string;
  /** Withdrawn from the ledger (撤出台账): kept, marked, counted nowhere. */
  withdrawn: { at: string; reason: string; by: string | null } | null;
  /** Whether the caller may change the item (owner, withdraw, move a milestone): set on reads for a caller. */
  canEdit?: boolean;
}

export interface CampaignCounts {
  /** Items not withdrawn (the counts leave withdrawn items out). */
  items: number;
  itemsDone: number;
  itemsOverdue: number;
  milestones: number;
  milestonesDone: number;
  milestonesOverdue: number;
}

export interface CampaignView {
  id: string;
  name: string;
  kind: string;
  from: string;
  to: string;
  owner: { id: string; name: string };
  milestones: MilestoneInput[];
  createdAt: string;
  state: CampaignState;
  /** When, why and by whom it was ended (null while active). */
  ended: { at: string; note: string | null; by: string | null } | null;
  /** Over the items the caller sees. */
  counts: CampaignCounts;
}

export interface CampaignDetail extends CampaignView {
  items: CampaignItemView[];
  /** Whether the caller may change or end the campaign. */
  canEdit: boolean;
}

/** One row of the ledger (台账): one item. */
export interface LedgerRow {
  itemId: string;
  place: string;
  placeKind: string;
  street: string;
  owner: string;
  state: ItemState;
  percent: number;
  /** Per campaign milestone code (in the ledger's milestone order): its due and done times, or null when the item lacks it. */
  milestones: Record<string, { dueAt: string; doneAt: string | null; state: MilestoneState } | null>;
  lastProgressAt: string | null;
  lastProgressNote: string | null;
  lastProgressBy: string | null;
  /** Withdrawn from the ledger: when and why (null otherwise). */
  withdrawnAt: string | null;
  withdrawnReason: string | null;
}

/** `GET /campaigns/:id/ledger.json`. */
export interface CampaignLedger {
  campaign: { id: string; name: string; kind: string; from: string; to: string; owner: string; state: CampaignState; endedAt: string | null };
  generatedAt: string;
  /** The ledger's milestone columns: the campaign's, then any further code an item has, in order. */
  milestones: { code: string; name: string }[];
  rows: LedgerRow[];
}

/** `GET /campaigns/evaluation`: milestones met on time per owner, street or campaign. */
export type CampaignGroupBy = 'owner' | 'street' | 'campaign';

export interface MilestoneTimeliness {
  /** Due in the period (and by now). */
  due: number;
  metOnTime: number;
  metLate: number;
  /** Due, not done. */
  open: number;
  /** metOnTime / due; null when nothing was due. */
  onTimeRate: number | null;
  /** The field formula's score, 0..100: the on-time rate weighted alone (null: nothing due). */
  score: number | null;
}

export interface CampaignEvaluation {
  from: string;
  to: string;
  groupBy: CampaignGroupBy;
  /** The field formula version used (places' `field_formula`: the one in force at the period's end, or the one asked for). */
  formula: FieldFormula;
  /** Where the counts came from: the daily rollups (a district-wide period of whole past days) or the facts. */
  source: 'rollups' | 'facts';
  /** Ranked by score (competition ranking; rows without a score last). */
  rows: ({ group: { id: string; name: string }; rank: number } & MilestoneTimeliness)[];
  totals: MilestoneTimeliness;
}
