import { Inject, Injectable } from '@nestjs/common';
import { rowsOf } from '@wangge/database';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { campaignItemActAllowed, campaignItemRooms, campaignItemVisible } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { lockUploadedMedia } from '@wangge/media';
import type { Actor } from '@wangge/workflow';
import { announce } from './campaign-feed';
import { OutboxHint } from './outbox-hint';
import { CampaignError, refuseUnlessOpen } from './campaign-error';
import { CampaignReads } from './campaign-reads';
import { itemEvent } from './campaign-views';
import type { CampaignItemView, ProgressInput } from './campaign.types';

/**
 * Progress reports on an item (进展): a note, optionally a milestone done and a percentage, with
 * evidence photos uploaded through media first (`POST /media`), by whoever may report on the item
 * (its owner, its campaign's owner, the street's or the district's staff). Announced on the feed;
 * a milestone done is announced as such too.
 */
@Injectable()
export class CampaignProgressService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CampaignReads) private readonly reads: CampaignReads,
    @Inject(OutboxHint) private readonly hint: OutboxHint,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(campaignId: string, itemId: string, input: ProgressInput, actor: Actor): Promise<CampaignItemView> {
    if (input.done === true && input.milestoneCode === undefined) throw CampaignError.badInput('done', 'names no milestone: give milestoneCode');
    const note = input.note.trim();
    if (note.length === 0) throw CampaignError.badInput('note', 'must not be empty');
    const now = this.clock.now();
    const view = await this.db.transaction(async (m) => {
      const locked: unknown[] = await m.query(`SELECT id FROM campaign_item WHERE id = $1 AND campaign_id = $2 FOR UPDATE`, [itemId, campaignId]);
      const row = locked.length > 0 ? await this.reads.itemRow(itemId, m) : null;
      const shape = row ? { streetCode: row.street_code, ownerId: row.owner_id, campaignOwnerId: row.campaign_owner_id } : null;
      if (!row || !shape || !campaignItemVisible(actor, shape)) throw new CampaignError('not_found', `no item ${itemId} in campaign ${campaignId} / 无此台账条目`);
      if (!campaignItemActAllowed(actor, shape, 'progress')) throw new CampaignError('forbidden', 'you may not report progress on this item / 您无权填报该条目进展');
      refuseUnlessOpen(row);
      const milestone = input.milestoneCode !== undefined ? row.milestones.find((ms) => ms.code === input.milestoneCode) : undefined;
      if (input.milestoneCode !== undefined && !milestone) {
        throw CampaignError.field('unknown_milestone', 'milestoneCode', `the item has no milestone ${input.milestoneCode}`, '该条目无此节点');
      }
      const mediaIds = [...new Set(input.mediaIds ?? [])];
      if (mediaIds.length > 0) {
        const found = await lockUploadedMedia(m, mediaIds);
        const missing = mediaIds.filter((id) => !found.has(id));
        if (missing.length > 0) throw CampaignError.field('unknown_media', 'mediaIds', `no upload ${missing.join(', ')} (POST /api/v1/media first)`, '照片未上传');
      }
      await m.query(
        `INSERT INTO campaign_progress (item_id, milestone_code, done, percent, note, media_ids, by_id, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [itemId, input.milestoneCode ?? null, input.done === true, input.percent ?? null, note, mediaIds, actor.id, actor.name, now],
      );
      if (input.percent !== undefined) await m.query(`UPDATE campaign_item SET percent = $2 WHERE id = $1`, [itemId, input.percent]);
      const newlyDone =
        milestone && input.done === true && !milestone.doneAt
          ? ((await m.query(`UPDATE campaign_milestone SET done_at = $3, done_by = $4 WHERE item_id = $1 AND code = $2 AND done_at IS NULL RETURNING code`, [
              itemId,
              milestone.code,
              now,
              actor.id,
            ])) as unknown[])
          : [];
      const after = (await this.reads.views([(await this.reads.itemRow(itemId, m))!], m))[0];
      const rooms = campaignItemRooms(shape);
      const by = { id: actor.id, name: actor.name };
      await announce(m, itemEvent('campaign.progress', after, row.campaign_name, { at: now.toISOString(), actor: by, note }), rooms);
      const done = after.milestones.find((ms) => ms.code === milestone?.code);
      if (rowsOf<unknown>(newlyDone).length > 0 && done) {
        await announce(
          m,
          itemEvent('campaign.milestone_done', after, row.campaign_name, { at: now.toISOString(), actor: by, milestone: { code: done.code, name: done.name, dueAt: done.dueAt, doneAt: done.doneAt } }),
          rooms,
        );
      }
      return after;
    });
    this.hint.send();
    return view;
  }
}

