import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { campaignCreateAllowed, campaignItemActAllowed, campaignItemRooms, campaignRooms } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { addJobs, type Actor } from '@wangge/workflow';
import { PlaceService } from '@wangge/places';
import { announce } from './campaign-feed';
import { OutboxHint } from './outbox-hint';
import { CampaignError } from './campaign-error';
import { CampaignReads } from './campaign-reads';
import { checkMilestones } from './campaign-state';
import { itemEvent } from './campaign-views';
import type { CampaignDetail, CampaignItemView, NewCampaign, NewCampaignItem } from './campaign.types';
import { STAFF_PERSON_SQL } from './campaigns.sql';
import { milestoneTimer } from './milestone-timer';

/**
 * Campaigns (专项行动, domain.md 8): made by district staff; items (places, read through places'
 * service) added by district staff, the street's staff or the campaign's owner, each with an owner
 * and its milestones (the campaign's unless given), whose timers go to the outbox with the item.
 * Every change is announced on the feed (`campaign.event`) in its transaction.
 */
@Injectable()
export class CampaignService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PlaceService) private readonly places: PlaceService,
    @Inject(CampaignReads) private readonly reads: CampaignReads,
    @Inject(OutboxHint) private readonly hint: OutboxHint,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(input: NewCampaign, actor: Actor): Promise<CampaignDetail> {
    if (!campaignCreateAllowed(actor)) throw new CampaignError('forbidden', 'campaigns are made by district staff / 专项行动由区级人员创建');
    const from = instant(input.from, 'from');
    const to = instant(input.to, 'to');
    if (to.getTime() <= from.getTime()) throw CampaignError.badInput('to', 'must be after from');
    const milestones = checkMilestones(input.milestones ?? []);
    const now = this.clock.now();
    const id = await this.db.transaction(async (m) => {
      const owner = await this.person(m, input.ownerId, 'ownerId');
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO campaign (name, kind, from_at, to_at, owner_id, milestones, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [input.name.trim(), input.kind.trim(), from, to, owner.id, JSON.stringify(milestones.map((ms) => ({ ...ms, dueAt: ms.dueAt.toISOString() }))), actor.id, now],
      );
      await announce(
        m,
        { type: 'campaign.created', at: now.toISOString(), campaignId: id, campaignName: input.name.trim(), owner, actor: { id: actor.id, name: actor.name } },
        campaignRooms({ ownerId: owner.id }),
      );
      return id;
    });
    this.hint.send();
    return this.reads.get(id, actor);
  }

  async addItem(campaignId: string, input: NewCampaignItem, actor: Actor): Promise<CampaignItemView> {
    const now = this.clock.now();
    const item = await this.db.transaction(async (m) => {
      const campaign = await this.reads.campaignRow(campaignId, m);
      if (!campaign) throw new CampaignError('not_found', `no campaign ${campaignId} / 无此专项行动`);
      await m.query(`SELECT id FROM campaign WHERE id = $1 FOR UPDATE`, [campaignId]);
      const locked = await this.reads.campaignRow(campaignId, m);
      if (locked?.state !== 'active') throw CampaignError.ended(campaign);
      const place = await this.places.shape(input.placeId, m);
      if (!place) throw CampaignError.field('unknown_place', 'placeId', 'no place with this id', '无此点位');
      const owner = await this.person(m, input.ownerId, 'ownerId');
      const shape = { streetCode: place.streetCode, ownerId: owner.id, campaignOwnerId: campaign.owner_id };
      if (!campaignItemActAllowed(actor, shape, 'add-item')) {
        throw new CampaignError('forbidden', 'you may not add this place to the campaign (outside your jurisdiction) / 该点位不在您的辖区内', [{ field: 'placeId', problem: 'outside your jurisdiction' }]);
      }
      const milestones = input.milestones
        ? checkMilestones(input.milestones)
        : campaign.milestones.map((ms) => ({ code: ms.code, name: ms.name, dueAt: new Date(ms.dueAt) }));
      const inserted: { id: string }[] = await m.query(
        `INSERT INTO campaign_item (campaign_id, place_id, street_code, owner_id, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (campaign_id, place_id) DO NOTHING RETURNING id`,
        [campaignId, place.id, place.streetCode, owner.id, now],
      );
      if (inserted.length === 0) throw CampaignError.field('duplicate_item', 'placeId', 'the place is already an item of this campaign', '该点位已在本专项行动台账中');
      const itemId = inserted[0].id;
      for (const [position, ms] of milestones.entries()) {
        await m.query(`INSERT INTO campaign_milestone (item_id, code, name, position, due_at) VALUES ($1, $2, $3, $4, $5)`, [itemId, ms.code, ms.name, position, ms.dueAt]);
      }
      await addJobs(
        m,
        milestones.map((ms) => milestoneTimer(itemId, ms.code, ms.dueAt)),
      );
      const view = (await this.reads.views([(await this.reads.itemRow(itemId, m))!], m))[0];
      await announce(m, itemEvent('campaign.item_added', view, campaign.name, { at: now.toISOString(), actor: { id: actor.id, name: actor.name } }), campaignItemRooms(shape));
      return view;
    });
    this.hint.send();
    return item;
  }

  private async person(m: EntityManager, id: string, field: string): Promise<{ id: string; name: string }> {
    const [row]: { id: string; name: string }[] = await m.query(STAFF_PERSON_SQL, [id]);
    if (!row) throw CampaignError.field('unknown_person', field, 'no active staff member with this id', '无此在职人员');
    return row;
  }
}

function instant(value: string, field: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw CampaignError.badInput(field, 'an ISO 8601 instant');
  return at;
}
