/**
 * `campaign.event` on the live feed (domain.md 8): every change of a campaign, scoped like cases by
 * the access model's campaign access. A producer writes an outbox row `topic = 'feed'`, `name =
 * 'campaign.event'` with a {@link CampaignStreamNotice} (the payload and the rooms it goes to) in the
 * transaction of the change; every feed node emits the payload to those rooms. Like notices, these
 * carry no `seq` and are not replayed by `resume`: a client that reconnects loads the campaign again.
 */
export const CAMPAIGN_EVENT_TYPES = [
  'campaign.created',
  'campaign.updated',
  'campaign.ended',
  'campaign.item_added',
  'campaign.item_updated',
  'campaign.item_withdrawn',
  'campaign.progress',
  'campaign.milestone_done',
  'campaign.milestone_overdue',
  'campaign.milestone_moved',
] as const;
export type CampaignEventType = (typeof CAMPAIGN_EVENT_TYPES)[number];

export interface CampaignEventPayload {
  type: CampaignEventType;
  at: string;
  campaignId: string;
  campaignName: string;
  /** Absent for the campaign's own events (`campaign.created`, `campaign.updated`, `campaign.ended`). */
  itemId?: string;
  place?: { id: string; name: string; lng: number; lat: number };
  streetCode?: string;
  owner?: { id: string; name: string };
  /** The item's state after the change (absent for `campaign.created`). */
  state?: 'not_started' | 'in_progress' | 'overdue' | 'done' | 'withdrawn';
  /** The campaign's own events: its state after the change. */
  campaignState?: 'active' | 'completed' | 'cancelled';
  /** Why (ending a campaign, withdrawing an item, moving a milestone). */
  reason?: string;
  /** `campaign.milestone_moved`: the due time it had. */
  previousDueAt?: string;
  percent?: number;
  milestone?: { code: string; name: string; dueAt: string; doneAt: string | null };
  note?: string;
  /** `campaign.milestone_overdue`: the leaders it was escalated to. */
  escalatedTo?: { id: string; name: string }[];
  actor: { id: string | null; name: string };
}

/** What the outbox carries to the feed nodes: the payload and its rooms (never sent to clients as such). */
export interface CampaignStreamNotice {
  name: 'campaign.event';
  at: string;
  rooms: string[];
  data: CampaignEventPayload;
}
