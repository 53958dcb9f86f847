import type { EntityManager } from 'typeorm';
import type { CampaignEventPayload } from '@wangge/events';
import { addFeedNotice } from '@wangge/workflow';

/** Puts a `campaign.event` for the feed into the outbox, in the change's transaction, with the rooms the access model gives it. */
export function announce(m: EntityManager, data: CampaignEventPayload, rooms: string[]): Promise<void> {
  return addFeedNotice(m, { name: 'campaign.event', at: data.at, rooms, data });
}
