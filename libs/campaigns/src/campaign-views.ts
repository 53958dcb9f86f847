import type { CampaignEventPayload } from '@wangge/events';
import { itemState, milestoneState } from './campaign-state';
import type { CampaignCounts, CampaignItemView, CampaignView, MilestoneView } from './campaign.types';
import type { CampaignRow, ItemRow } from './campaigns.sql';

/** What an item's view needs of its place (places' `PlaceService.shape`). */
export interface PlaceOfItem {
  id: string;
  name: string;
  kind: string;
  lng: number;
  lat: number;
}

/** An item row as its view at `now`. */
export function itemView(row: ItemRow, place: PlaceOfItem, now: Date): CampaignItemView {
  const milestones: MilestoneView[] = row.milestones.map((m) => {
    const dueAt = new Date(m.dueAt);
    const doneAt = m.doneAt ? new Date(m.doneAt) : null;
    return {
      code: m.code,
      name: m.name,
      dueAt: dueAt.toISOString(),
      doneAt: doneAt?.toISOString() ?? null,
      state: milestoneState({ dueAt, doneAt, overdueAt: m.overdueAt ? new Date(m.overdueAt) : null }, now),
      onTime: doneAt ? doneAt.getTime() <= dueAt.getTime() : null,
      overdueAt: m.overdueAt ? new Date(m.overdueAt).toISOString() : null,
      escalatedTo: m.escalatedTo ?? [],
    };
  });
  const p = row.last_progress;
  return {
    id: row.id,
    campaignId: row.campaign_id,
    place: { id: place.id, name: place.name, kind: place.kind, lng: place.lng, lat: place.lat },
    street: { code: row.street_code },
    owner: { id: row.owner_id, name: row.owner_name },
    percent: row.percent,
    state: itemState(
      milestones.map((m) => m.state),
      { percent: row.percent, reports: row.reports, withdrawn: row.withdrawn_at !== null },
    ),
    milestones,
    lastProgress: p
      ? {
          id: p.id,
          at: new Date(p.at).toISOString(),
          milestoneCode: p.milestone_code,
          done: p.done,
          percent: p.percent,
          note: p.note,
          mediaIds: p.media_ids ?? [],
          by: { id: p.by_id, name: p.by_name },
        }
      : null,
    createdAt: new Date(row.created_at).toISOString(),
    withdrawn: row.withdrawn_at ? { at: new Date(row.withdrawn_at).toISOString(), reason: row.withdrawn_reason ?? '', by: row.withdrawn_by_name } : null,
  };
}

/** A campaign row as its view; its counts over the items given that are not withdrawn. */
export function campaignView(row: CampaignRow, allItems: readonly CampaignItemView[]): CampaignView {
  const items = allItems.filter((i) => !i.withdrawn);
  const all = items.flatMap((i) => i.milestones);
  const counts: CampaignCounts = {
    items: items.length,
    itemsDone: items.filter((i) => i.state === 'done').length,
    itemsOverdue: items.filter((i) => i.state === 'overdue').length,
    milestones: all.length,
    milestonesDone: all.filter((m) => m.state === 'done').length,
    milestonesOverdue: all.filter((m) => m.state === 'overdue').length,
  };
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    from: new Date(row.from_at).toISOString(),
    to: new Date(row.to_at).toISOString(),
    owner: { id: row.owner_id, name: row.owner_name },
    milestones: row.milestones.map((m) => ({ code: m.code, name: m.name, dueAt: new Date(m.dueAt).toISOString() })),
    createdAt: new Date(row.created_at).toISOString(),
    state: row.state,
    ended: row.ended_at ? { at: new Date(row.ended_at).toISOString(), note: row.end_note, by: row.ended_by_name } : null,
    counts,
  };
}

/** The feed payload of a change of an item (its view after the change). */
export function itemEvent(
  type: CampaignEventPayload['type'],
  item: CampaignItemView,
  campaignName: string,
  extra: Pick<CampaignEventPayload, 'actor' | 'at'> & Partial<Pick<CampaignEventPayload, 'milestone' | 'note' | 'escalatedTo' | 'reason' | 'previousDueAt'>>,
): CampaignEventPayload {
  return {
    type,
    campaignId: item.campaignId,
    campaignName,
    itemId: item.id,
    place: { id: item.place.id, name: item.place.name, lng: item.place.lng, lat: item.place.lat },
    streetCode: item.street.code,
    owner: item.owner,
    state: item.state,
    percent: item.percent,
    ...extra,
  };
}
