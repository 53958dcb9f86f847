import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { campaignItemRooms } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { SYSTEM_ACTOR } from '@wangge/workflow';
import { announce } from './campaign-feed';
import { OutboxHint } from './outbox-hint';
import { CAMPAIGN_SELECT_SQL, MILESTONE_FOR_TIMER_SQL, PENDING_MILESTONES_SQL, STREET_LEADERS_SQL, type CampaignRow } from './campaigns.sql';

export type MilestoneOutcome = { kind: 'stale' } | { kind: 'early'; at: Date } | { kind: 'overdue'; escalatedTo: string[] };

/** A milestone whose timer is to be (re)sent. */
export interface PendingMilestone {
  item_id: string;
  code: string;
  due_at: Date;
}

/**
 * Milestones' timers (the dispatcher's clocks queue, like the case clocks): a milestone past due
 * and not done is marked overdue, announced on the feed and escalated once to the leaders over
 * the item's street (its own leaders, else the district's). Safe to run twice: the mark is made
 * under the milestone's row lock, once per due time; the sweep re-sends timers lost with Redis.
 */
@Injectable()
export class MilestoneClockService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OutboxHint) private readonly hint: OutboxHint,
  ) {}

  async expire(itemId: string, code: string, dueAt: Date): Promise<MilestoneOutcome> {
    const outcome = await this.db.transaction(async (m): Promise<MilestoneOutcome> => {
      const [ms]: { name: string; due_at: Date; done_at: Date | null; overdue_at: Date | null; live: boolean }[] = await m.query(MILESTONE_FOR_TIMER_SQL, [itemId, code]);
      // Done, marked, moved to another due time, its item withdrawn or its campaign ended: nothing to do.
      if (!ms || !ms.live || ms.done_at !== null || ms.overdue_at !== null || new Date(ms.due_at).getTime() !== dueAt.getTime()) return { kind: 'stale' };
      const now = this.clock.now();
      if (now.getTime() < dueAt.getTime()) return { kind: 'early', at: dueAt };
      const [item]: { campaign_id: string; place_id: string; street_code: string; owner_id: string; owner_name: string }[] = await m.query(
        `SELECT ci.campaign_id, ci.place_id, ci.street_code, ci.owner_id, u.name AS owner_name FROM campaign_item ci JOIN app_user u ON u.id = ci.owner_id WHERE ci.id = $1`,
        [itemId],
      );
      const [campaign]: CampaignRow[] = await m.query(`${CAMPAIGN_SELECT_SQL} WHERE c.id = $1`, [item.campaign_id]);
      const leaders: { id: string; name: string }[] = await m.query(STREET_LEADERS_SQL, [item.street_code]);
      await m.query(`UPDATE campaign_milestone SET overdue_at = $3, escalated_to = $4 WHERE item_id = $1 AND code = $2`, [itemId, code, now, leaders.map((l) => l.id)]);
      await announce(
        m,
        {
          type: 'campaign.milestone_overdue',
          at: now.toISOString(),
          campaignId: item.campaign_id,
          campaignName: campaign.name,
          itemId,
          streetCode: item.street_code,
          owner: { id: item.owner_id, name: item.owner_name },
          state: 'overdue',
          milestone: { code, name: ms.name, dueAt: dueAt.toISOString(), doneAt: null },
          escalatedTo: leaders,
          actor: { id: SYSTEM_ACTOR.id, name: SYSTEM_ACTOR.name },
        },
        // The leaders escalated to are the street's or the district's: in its street or district room.
        campaignItemRooms({ streetCode: item.street_code, ownerId: item.owner_id, campaignOwnerId: campaign.owner_id }),
      );
      return { kind: 'overdue', escalatedTo: leaders.map((l) => l.id) };
    });
    if (outcome.kind === 'overdue') this.hint.send();
    return outcome;
  }

  /** Milestones neither done nor marked, by (item, code) after `after`: every one (`all`), or those due before `dueBefore`. */
  pending(page: { all: boolean; dueBefore: Date; after: { itemId: string; code: string }; limit: number }): Promise<PendingMilestone[]> {
    return this.db.query(PENDING_MILESTONES_SQL, [page.all, page.dueBefore, page.after.itemId, page.after.code, page.limit]);
  }
}
