import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { campaignActAllowed, campaignItemActAllowed, campaignItemScopeSql, campaignItemVisible, campaignSeesDistrict, type CasePrincipal } from '@wangge/auth';
import { CLOCK, type Clock } from '@wangge/clock';
import { PlaceService } from '@wangge/places';
import { CampaignError } from './campaign-error';
import { campaignView, itemView, type PlaceOfItem } from './campaign-views';
import type { CampaignDetail, CampaignItemView, CampaignView } from './campaign.types';
import { CAMPAIGN_SELECT_SQL, ITEM_COLUMNS, ITEM_SELECT_SQL, type CampaignRow, type ItemRow } from './campaigns.sql';

/** Campaigns in one list at most. */
export const CAMPAIGN_LIST_MAX = 500;

/**
 * Reads of campaigns and their items, scoped by the access model's campaign access: a campaign is
 * listed for whoever sees the district, owns it, or sees one of its items; its counts and items are
 * those the caller sees.
 */
@Injectable()
export class CampaignReads {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PlaceService) private readonly places: PlaceService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(p: CasePrincipal): Promise<CampaignView[]> {
    const params: unknown[] = [];
    const param = (v: unknown) => (params.push(v), `$${params.length}`);
    const where = campaignSeesDistrict(p)
      ? 'true'
      : `(c.owner_id = ${param(p.id)}::uuid OR EXISTS (SELECT 1 FROM campaign_item ci WHERE ci.campaign_id = c.id AND ${campaignItemScopeSql(p, ITEM_COLUMNS, param)}))`;
    const campaigns: CampaignRow[] = await this.db.query(`${CAMPAIGN_SELECT_SQL} WHERE ${where} ORDER BY c.from_at DESC, c.id LIMIT ${CAMPAIGN_LIST_MAX}`, params);
    const items = await this.items(
      p,
      campaigns.map((c) => c.id),
    );
    return campaigns.map((c) =>
      campaignView(
        c,
        items.filter((i) => i.campaignId === c.id),
      ),
    );
  }

  /** One campaign the caller sees, with the items they see (404 otherwise) and what the caller may change. */
  async get(id: string, p: CasePrincipal, m: EntityManager = this.db.manager): Promise<CampaignDetail> {
    const row = await this.campaignRow(id, m);
    const items = row ? await this.items(p, [id], m) : [];
    if (!row || (!campaignSeesDistrict(p) && row.owner_id !== p.id && items.length === 0)) throw new CampaignError('not_found', `no campaign ${id} / 无此专项行动`);
    const active = row.state === 'active';
    const canEditItem = (i: CampaignItemView) =>
      active && !i.withdrawn && campaignItemActAllowed(p, { streetCode: i.street.code, ownerId: i.owner.id, campaignOwnerId: row.owner_id }, 'edit-item');
    const marked = items.map((i) => ({ ...i, canEdit: canEditItem(i) }));
    return { ...campaignView(row, marked), items: marked, canEdit: active && campaignActAllowed(p, { ownerId: row.owner_id }, 'edit') };
  }

  /** One item the caller sees (404 otherwise), with its campaign's row. */
  async item(campaignId: string, itemId: string, p: CasePrincipal, m: EntityManager = this.db.manager): Promise<CampaignItemView> {
    const [row]: ItemRow[] = await m.query(`${ITEM_SELECT_SQL} WHERE ci.id = $1 AND ci.campaign_id = $2`, [itemId, campaignId]);
    if (!row || !campaignItemVisible(p, { streetCode: row.street_code, ownerId: row.owner_id, campaignOwnerId: row.campaign_owner_id })) {
      throw new CampaignError('not_found', `no item ${itemId} in campaign ${campaignId} / 无此台账条目`);
    }
    return (await this.views([row], m))[0];
  }

  /** An item's row as it stands (no scope: the caller checks). */
  async itemRow(itemId: string, m: EntityManager): Promise<ItemRow | null> {
    const [row]: ItemRow[] = await m.query(`${ITEM_SELECT_SQL} WHERE ci.id = $1`, [itemId]);
    return row ?? null;
  }

  async campaignRow(id: string, m: EntityManager = this.db.manager): Promise<CampaignRow | null> {
    const [row]: CampaignRow[] = await m.query(`${CAMPAIGN_SELECT_SQL} WHERE c.id = $1`, [id]);
    return row ?? null;
  }

  /** The items of the campaigns the caller sees, by place name. */
  async items(p: CasePrincipal, campaignIds: readonly string[], m: EntityManager = this.db.manager): Promise<CampaignItemView[]> {
    if (campaignIds.length === 0) return [];
    const params: unknown[] = [campaignIds];
    const param = (v: unknown) => (params.push(v), `$${params.length}`);
    const rows: ItemRow[] = await m.query(`${ITEM_SELECT_SQL} WHERE ci.campaign_id = ANY($1::uuid[]) AND ${campaignItemScopeSql(p, ITEM_COLUMNS, param)} ORDER BY ci.created_at, ci.id`, params);
    const views = await this.views(rows, m);
    return views.sort((a, b) => a.place.name.localeCompare(b.place.name, 'zh-CN') || a.id.localeCompare(b.id));
  }

  /** Views of item rows at the clock's now, with their places read through places' service. */
  async views(rows: readonly ItemRow[], m: EntityManager): Promise<CampaignItemView[]> {
    const now = this.clock.now();
    const places = new Map<string, PlaceOfItem>();
    for (const id of new Set(rows.map((r) => r.place_id))) {
      const shape = await this.places.shape(id, m);
      places.set(id, shape ? { id, name: shape.name, kind: shape.kind, lng: shape.lng, lat: shape.lat } : { id, name: '', kind: 'other', lng: 0, lat: 0 });
    }
    return rows.map((r) => itemView(r, places.get(r.place_id)!, now));
  }
}
