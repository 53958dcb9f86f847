import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActor } from '@wangge/audit';
import { campaignActAllowed, campaignItemActAllowed, campaignItemRooms, campaignItemVisible, campaignRooms, campaignSeesDistrict } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { addJobs, type Actor } from '@wangge/workflow';
import { announce } from './campaign-feed';
import { CampaignError, refuseUnlessOpen } from './campaign-error';
import { CampaignReads } from './campaign-reads';
import { itemEvent } from './campaign-views';
import type { CampaignChange, CampaignDetail, CampaignItemChange, CampaignItemView, ItemHistoryEntry, MilestoneMove } from './campaign.types';
import { ITEM_HISTORY_SQL, OWNER_CHOICES_SQL, STAFF_PERSON_SQL, type CampaignRow, type ItemRow } from './campaigns.sql';
import { milestoneTimer } from './milestone-timer';
import { OutboxHint } from './outbox-hint';

const REASON_MAX = 2000;

/**
 * Keeping a campaign up to date (issue 17 leftover): the campaign renamed, given a new end or owner,
 * ended (completed or cancelled, with a note); an item given a new owner or withdrawn from the ledger
 * (撤出台账, with a reason); a milestone moved (调整时间节点, with a reason, its timer re-armed). Who may:
 * the access model's `edit` and `edit-item`. Each change in one transaction: written, kept in the
 * history (`campaign_change`), audited (before and after) and announced on the feed.
 */
@Injectable()
export class CampaignMaintenanceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CampaignReads) private readonly reads: CampaignReads,
    @Inject(OutboxHint) private readonly hint: OutboxHint,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async updateCampaign(id: string, input: CampaignChange, actor: Actor, by: AuditActor): Promise<CampaignDetail> {
    const name = input.name?.trim();
    if (input.name !== undefined && (name!.length === 0 || name!.length > 200)) throw CampaignError.badInput('name', '1 to 200 characters');
    const ending = input.state === 'completed' || input.state === 'cancelled';
    const note = input.note?.trim();
    if (ending && !note) throw CampaignError.badInput('note', 'say why the campaign ends / 请填写结束说明');
    const to = input.to === undefined ? undefined : new Date(input.to);
    if (to && Number.isNaN(to.getTime())) throw CampaignError.badInput('to', 'an ISO 8601 instant');
    const now = this.clock.now();
    await this.db.transaction(async (m) => {
      const before = await this.lockCampaign(m, id, actor);
      if (!campaignActAllowed(actor, { ownerId: before.owner_id }, 'edit')) throw new CampaignError('forbidden', 'campaigns are changed by district staff or their owner / 仅区级人员或负责人可修改专项行动');
      if (before.state !== 'active') throw CampaignError.ended(before);
      if (to && to.getTime() <= new Date(before.from_at).getTime()) throw CampaignError.badInput('to', 'must be after from / 结束须晚于开始');
      const owner = input.ownerId !== undefined ? await person(m, input.ownerId) : { id: before.owner_id, name: before.owner_name };
      await m.query(
        `UPDATE campaign SET name = $2, to_at = $3, owner_id = $4, state = $5, ended_at = $6, ended_by = $7, end_note = $8 WHERE id = $1`,
        [id, name ?? before.name, to ?? before.to_at, owner.id, ending ? input.state : 'active', ending ? now : null, ending ? actor.id : null, ending ? note : null],
      );
      const after = (await this.reads.campaignRow(id, m))!;
      const [b, a] = [campaignFields(before), campaignFields(after)];
      const kind = ending ? 'campaign.ended' : 'campaign.updated';
      await this.change(m, { campaignId: id, itemId: null, kind, before: b, after: a, reason: ending ? note! : null, actor, at: now });
      await recordAudit(m, { actor: by, action: kind, entity: 'campaign', entityId: id, before: b, after: a });
      // Everyone who sees the campaign hears of it: the district, its owners before and after, its items' streets and owners.
      const items: { street_code: string; owner_id: string }[] = await m.query(`SELECT DISTINCT street_code, owner_id FROM campaign_item WHERE campaign_id = $1 AND withdrawn_at IS NULL`, [id]);
      const rooms = new Set([...campaignRooms({ ownerId: before.owner_id }), ...campaignRooms({ ownerId: owner.id })]);
      for (const i of items) for (const r of campaignItemRooms({ streetCode: i.street_code, ownerId: i.owner_id, campaignOwnerId: owner.id })) rooms.add(r);
      await announce(
        m,
        { type: kind, at: now.toISOString(), campaignId: id, campaignName: after.name, owner, campaignState: after.state, ...(ending ? { reason: note } : {}), actor: { id: actor.id, name: actor.name } },
        [...rooms],
      );
    });
    this.hint.send();
    return this.reads.get(id, actor);
  }

  async updateItem(campaignId: string, itemId: string, input: CampaignItemChange, actor: Actor, by: AuditActor): Promise<CampaignItemView> {
    if (input.withdrawn !== undefined && input.withdrawn !== true) throw CampaignError.badInput('withdrawn', 'only true: a withdrawn item stays withdrawn / 撤出后不可恢复');
    const reason = input.reason?.trim();
    if (input.withdrawn && !reason) throw CampaignError.badInput('reason', 'say why the item is withdrawn / 请填写撤出原因');
    if (input.ownerId === undefined && !input.withdrawn) throw CampaignError.badInput('ownerId', 'give ownerId or withdrawn / 请指定新责任人或撤出');
    const now = this.clock.now();
    const view = await this.db.transaction(async (m) => {
      const row = await this.lockItem(m, campaignId, itemId, actor);
      const fromView = await this.itemView(m, row);
      let owner = { id: row.owner_id, name: row.owner_name };
      if (input.ownerId !== undefined) {
        owner = await person(m, input.ownerId);
        await m.query(`UPDATE campaign_item SET owner_id = $2 WHERE id = $1`, [itemId, owner.id]);
      }
      if (input.withdrawn) await m.query(`UPDATE campaign_item SET withdrawn_at = $2, withdrawn_by = $3, withdrawn_reason = $4 WHERE id = $1`, [itemId, now, actor.id, reason]);
      const after = await this.itemView(m, (await this.reads.itemRow(itemId, m))!);
      const kind = input.withdrawn ? 'item.withdrawn' : 'item.owner_changed';
      const b = { owner: fromView.owner, withdrawn: fromView.withdrawn };
      const a = { owner: after.owner, withdrawn: after.withdrawn };
      await this.change(m, { campaignId, itemId, kind, before: b, after: a, reason: reason ?? null, actor, at: now });
      await recordAudit(m, { actor: by, action: `campaign_${kind}`, entity: 'campaign_item', entityId: itemId, streetCode: row.street_code, before: b, after: a });
      const rooms = new Set([
        ...campaignItemRooms({ streetCode: row.street_code, ownerId: row.owner_id, campaignOwnerId: row.campaign_owner_id }),
        ...campaignItemRooms({ streetCode: row.street_code, ownerId: owner.id, campaignOwnerId: row.campaign_owner_id }),
      ]);
      const type = input.withdrawn ? 'campaign.item_withdrawn' : 'campaign.item_updated';
      await announce(m, itemEvent(type, after, row.campaign_name, { at: now.toISOString(), actor: { id: actor.id, name: actor.name }, ...(reason ? { reason } : {}) }), [...rooms]);
      return after;
    });
    this.hint.send();
    return view;
  }

  /**
   * Moves a milestone's due time. Its timer is re-armed for the new time (the old one finds the due
   * time changed and does nothing). An overdue milestone moved past now is pending again: its mark
   * is cleared from the milestone and kept in the history (the evaluation counts the milestone
   * against its due time as it stands).
   */
  async moveMilestone(campaignId: string, itemId: string, code: string, input: MilestoneMove, actor: Actor, by: AuditActor): Promise<CampaignItemView> {
    const dueAt = new Date(input.dueAt);
    if (Number.isNaN(dueAt.getTime())) throw CampaignError.badInput('dueAt', 'an ISO 8601 instant');
    const reason = input.reason?.trim();
    if (!reason || reason.length > REASON_MAX) throw CampaignError.badInput('reason', 'say why the milestone moves (1 to 2000 characters) / 请填写调整原因');
    const now = this.clock.now();
    const view = await this.db.transaction(async (m) => {
      const row = await this.lockItem(m, campaignId, itemId, actor);
      const [ms]: { name: string; due_at: Date; done_at: Date | null; overdue_at: Date | null; escalated_to: string[] }[] = await m.query(
        `SELECT name, due_at, done_at, overdue_at, escalated_to FROM campaign_milestone WHERE item_id = $1 AND code = $2 FOR UPDATE`,
        [itemId, code],
      );
      if (!ms) throw CampaignError.field('unknown_milestone', 'code', `the item has no milestone ${code}`, '该条目无此节点');
      if (ms.done_at !== null) throw new CampaignError('milestone_done', `milestone ${code} is done: it cannot be moved / 节点已完成，不可调整`, [{ field: 'code', problem: 'done' }]);
      const clears = ms.overdue_at !== null && dueAt.getTime() > now.getTime();
      await m.query(
        `UPDATE campaign_milestone SET due_at = $3, overdue_at = CASE WHEN $4 THEN NULL ELSE overdue_at END, escalated_to = CASE WHEN $4 THEN '{}' ELSE escalated_to END
          WHERE item_id = $1 AND code = $2`,
        [itemId, code, dueAt, clears],
      );
      await addJobs(m, [milestoneTimer(itemId, code, dueAt)]);
      const before = { code, dueAt: new Date(ms.due_at).toISOString(), overdueAt: ms.overdue_at ? new Date(ms.overdue_at).toISOString() : null, escalatedTo: ms.escalated_to };
      const after = { code, dueAt: dueAt.toISOString(), overdueAt: clears ? null : before.overdueAt };
      await this.change(m, { campaignId, itemId, kind: 'milestone.moved', before, after, reason, actor, at: now });
      await recordAudit(m, { actor: by, action: 'campaign_milestone.moved', entity: 'campaign_item', entityId: itemId, streetCode: row.street_code, before, after: { ...after, reason } });
      const view = await this.itemView(m, (await this.reads.itemRow(itemId, m))!);
      const moved = view.milestones.find((x) => x.code === code)!;
      await announce(
        m,
        itemEvent('campaign.milestone_moved', view, row.campaign_name, {
          at: now.toISOString(),
          actor: { id: actor.id, name: actor.name },
          milestone: { code, name: moved.name, dueAt: moved.dueAt, doneAt: null },
          previousDueAt: before.dueAt,
          reason,
        }),
        campaignItemRooms({ streetCode: row.street_code, ownerId: row.owner_id, campaignOwnerId: row.campaign_owner_id }),
      );
      return view;
    });
    this.hint.send();
    return view;
  }

  /**
   * Whom the caller may name as an owner (the console's choices): the active staff members an owner
   * may be (as adding an item accepts), for those who may change the campaign or some of its items.
   */
  async ownerChoices(campaignId: string, actor: Actor): Promise<{ id: string; name: string; role: string }[]> {
    const detail = await this.reads.get(campaignId, actor);
    if (!detail.canEdit && !detail.items.some((i) => i.canEdit)) throw new CampaignError('forbidden', 'you may not change this campaign / 您无权修改该专项行动');
    return this.db.query(OWNER_CHOICES_SQL);
  }

  /** An item's history: its changes and progress reports, newest first (whoever sees the item). */
  async history(campaignId: string, itemId: string, actor: Actor): Promise<ItemHistoryEntry[]> {
    await this.reads.item(campaignId, itemId, actor);
    const rows: { id: string; source: 'change' | 'progress'; kind: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; reason: string | null; note: string | null; by_id: string | null; by_name: string; at: Date }[] =
      await this.db.query(ITEM_HISTORY_SQL, [itemId]);
    return rows.map((r) => ({ id: r.id, source: r.source, kind: r.kind, at: new Date(r.at).toISOString(), by: { id: r.by_id, name: r.by_name }, before: r.before, after: r.after, reason: r.reason, note: r.note }));
  }

  private async lockCampaign(m: EntityManager, id: string, actor: Actor): Promise<CampaignRow> {
    const locked: unknown[] = await m.query(`SELECT id FROM campaign WHERE id = $1 FOR UPDATE`, [id]);
    const row = locked.length > 0 ? await this.reads.campaignRow(id, m) : null;
    const sees = row && (campaignSeesDistrict(actor) || row.owner_id === actor.id || (await this.reads.items(actor, [id], m)).length > 0);
    if (!row || !sees) throw new CampaignError('not_found', `no campaign ${id} / 无此专项行动`);
    return row;
  }

  /** The item locked, seen (404), changeable by the actor (403), open: its campaign active, not withdrawn (409). */
  private async lockItem(m: EntityManager, campaignId: string, itemId: string, actor: Actor): Promise<ItemRow> {
    const locked: unknown[] = await m.query(`SELECT id FROM campaign_item WHERE id = $1 AND campaign_id = $2 FOR UPDATE`, [itemId, campaignId]);
    const row = locked.length > 0 ? await this.reads.itemRow(itemId, m) : null;
    const shape = row ? { streetCode: row.street_code, ownerId: row.owner_id, campaignOwnerId: row.campaign_owner_id } : null;
    if (!row || !shape || !campaignItemVisible(actor, shape)) throw new CampaignError('not_found', `no item ${itemId} in campaign ${campaignId} / 无此台账条目`);
    if (!campaignItemActAllowed(actor, shape, 'edit-item')) throw new CampaignError('forbidden', 'items are changed by district or street staff or the campaign owner / 您无权修改该条目');
    refuseUnlessOpen(row);
    return row;
  }

  private async itemView(m: EntityManager, row: ItemRow): Promise<CampaignItemView> {
    return (await this.reads.views([row], m))[0];
  }

  private async change(
    m: EntityManager,
    c: { campaignId: string; itemId: string | null; kind: string; before: object; after: object; reason: string | null; actor: Actor; at: Date },
  ): Promise<void> {
    await m.query(`INSERT INTO campaign_change (campaign_id, item_id, kind, before, after, reason, by_id, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      c.campaignId,
      c.itemId,
      c.kind,
      JSON.stringify(c.before),
      JSON.stringify(c.after),
      c.reason,
      c.actor.id,
      c.actor.name,
      c.at,
    ]);
  }
}

async function person(m: EntityManager, id: string): Promise<{ id: string; name: string }> {
  const [row]: { id: string; name: string }[] = await m.query(STAFF_PERSON_SQL, [id]);
  if (!row) throw CampaignError.field('unknown_person', 'ownerId', 'no active staff member with this id', '无此在职人员');
  return row;
}

/** What the history and the audit keep of a campaign. */
function campaignFields(r: CampaignRow) {
  return { name: r.name, to: new Date(r.to_at).toISOString(), owner: { id: r.owner_id, name: r.owner_name }, state: r.state, endNote: r.end_note };
}
