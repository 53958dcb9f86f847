import { DISTRICT_WIDE_ROLES, STAFF_ROLES, type Role } from '@wangge/domain';
import { caseGrants, DISTRICT_ROOM, type CasePrincipal, type SqlParam } from './case-access';

/**
 * Who sees and acts on campaigns (专项行动) and their items (domain.md 8): district-wide staff
 * (operator, leader, admin) the district, street-level staff the items at places of their street,
 * the owner of an item their items, the owner of a campaign its items. The district and the street
 * are the case access model's own scopes ({@link caseGrants}): a jurisdiction is defined once.
 * Judged three ways from one table ({@link CAMPAIGN_ACCESS}): in memory, as SQL and as feed rooms.
 */

/**
 * What is done to a campaign: made (district staff), changed or ended (`edit`), an item added, an
 * item changed (its owner) or withdrawn and its milestones moved (`edit-item`), progress reported.
 */
export const CAMPAIGN_ACTS = ['create', 'edit', 'add-item', 'edit-item', 'progress'] as const;
export type CampaignAct = (typeof CAMPAIGN_ACTS)[number];

/** What decides who sees an item: where its place is, who owns it, who owns its campaign. */
export interface CampaignItemShape {
  streetCode: string;
  ownerId: string;
  campaignOwnerId: string;
}

export type CampaignCondition =
  | { kind: 'every' }
  | { kind: 'street'; streetCode: string }
  | { kind: 'item-owner'; userId: string }
  | { kind: 'campaign-owner'; userId: string };

export interface CampaignAccessRule {
  scope: 'district' | 'street' | 'item-owner' | 'campaign-owner';
  roles: readonly (Role | 'system')[];
  acts: readonly CampaignAct[];
  where(p: CasePrincipal): CampaignCondition | null;
}

/** The case model's jurisdiction scope of the principal (`district` or `street`), if they hold it. */
function jurisdiction(p: CasePrincipal, scope: 'district' | 'street'): CampaignCondition | null {
  const grant = caseGrants(p, 'staff').find((g) => g.rule.scope === scope || (scope === 'district' && g.rule.scope === 'system'));
  if (!grant) return null;
  if (grant.condition.kind === 'every') return scope === 'district' ? { kind: 'every' } : null;
  return grant.condition.kind === 'one-of' && grant.condition.field === 'streetCode' ? { kind: 'street', streetCode: String(grant.condition.values[0]) } : null;
}

export const CAMPAIGN_ACCESS: readonly CampaignAccessRule[] = [
  { scope: 'district', roles: ['system', ...DISTRICT_WIDE_ROLES], acts: CAMPAIGN_ACTS, where: (p) => jurisdiction(p, 'district') },
  { scope: 'street', roles: DISTRICT_WIDE_ROLES, acts: ['add-item', 'edit-item', 'progress'], where: (p) => jurisdiction(p, 'street') },
  { scope: 'campaign-owner', roles: STAFF_ROLES, acts: ['edit', 'add-item', 'edit-item', 'progress'], where: (p) => (p.id === null ? null : { kind: 'campaign-owner', userId: p.id }) },
  { scope: 'item-owner', roles: STAFF_ROLES, acts: ['progress'], where: (p) => (p.id === null ? null : { kind: 'item-owner', userId: p.id }) },
];

interface CampaignGrant {
  rule: CampaignAccessRule;
  condition: CampaignCondition;
}

export function campaignGrants(p: CasePrincipal): CampaignGrant[] {
  const grants: CampaignGrant[] = [];
  for (const rule of CAMPAIGN_ACCESS) {
    if (!rule.roles.includes(p.role)) continue;
    const condition = rule.where(p);
    if (condition) grants.push({ rule, condition });
  }
  return grants;
}

function matches(c: CampaignCondition, item: CampaignItemShape): boolean {
  switch (c.kind) {
    case 'every':
      return true;
    case 'street':
      return item.streetCode === c.streetCode;
    case 'item-owner':
      return item.ownerId === c.userId;
    case 'campaign-owner':
      return item.campaignOwnerId === c.userId;
  }
}

/** Whether the principal sees the item. */
export function campaignItemVisible(p: CasePrincipal, item: CampaignItemShape): boolean {
  return campaignGrants(p).some((g) => matches(g.condition, item));
}

/** Whether the principal may do the act on the item (an item not yet added: its place's street and owner). */
export function campaignItemActAllowed(p: CasePrincipal, item: CampaignItemShape, act: CampaignAct): boolean {
  return campaignGrants(p).some((g) => g.rule.acts.includes(act) && matches(g.condition, item));
}

/** Whether the principal may make campaigns (district staff). */
export function campaignCreateAllowed(p: CasePrincipal): boolean {
  return campaignGrants(p).some((g) => g.rule.acts.includes('create') && g.condition.kind === 'every');
}

/** Whether the principal may do a campaign-wide act (`edit`) on a campaign: district staff, its owner. */
export function campaignActAllowed(p: CasePrincipal, campaign: { ownerId: string }, act: CampaignAct): boolean {
  return campaignGrants(p).some((g) => g.rule.acts.includes(act) && (g.condition.kind === 'every' || (g.condition.kind === 'campaign-owner' && g.condition.userId === campaign.ownerId)));
}

/** Whether the principal sees the whole district's campaigns (all items, the campaigns without any yet). */
export function campaignSeesDistrict(p: CasePrincipal): boolean {
  return campaignGrants(p).some((g) => g.condition.kind === 'every');
}

/** SQL expressions of an item's fields. */
export interface CampaignItemColumns {
  streetCode: string;
  ownerId: string;
  campaignOwnerId: string;
}

/** The items the principal sees as one SQL condition (`true`, `false`, or a parenthesised OR), the form of {@link campaignItemVisible}. */
export function campaignItemScopeSql(p: CasePrincipal, on: CampaignItemColumns, param: SqlParam): string {
  const grants = campaignGrants(p);
  if (grants.some((g) => g.condition.kind === 'every')) return 'true';
  if (grants.length === 0) return 'false';
  const terms = grants.map(({ condition: c }) => {
    switch (c.kind) {
      case 'every':
        return 'true';
      case 'street':
        return `${on.streetCode} = ${param(c.streetCode)}::text`;
      case 'item-owner':
        return `${on.ownerId} = ${param(c.userId)}::uuid`;
      case 'campaign-owner':
        return `${on.campaignOwnerId} = ${param(c.userId)}::uuid`;
    }
  });
  return `(${terms.join(' OR ')})`;
}

// ------------------------------------------------------------------ rooms (the live feed)

const userRoom = (id: string) => `user:${id}`;
const streetRoom = (code: string) => `street:${code}`;

/** The rooms an event of the item goes to: they meet {@link principalCampaignRooms} exactly where the principal sees the item. */
export function campaignItemRooms(item: CampaignItemShape): string[] {
  return [...new Set([DISTRICT_ROOM, streetRoom(item.streetCode), userRoom(item.ownerId), userRoom(item.campaignOwnerId)])];
}

/** The rooms an event of a campaign itself (made, no item) goes to: the district and its owner. */
export function campaignRooms(campaign: { ownerId: string }): string[] {
  return [DISTRICT_ROOM, userRoom(campaign.ownerId)];
}

/** The rooms of a principal's feed connection for campaign events. */
export function principalCampaignRooms(p: CasePrincipal): string[] {
  const rooms = campaignGrants(p).map(({ condition: c }) => {
    switch (c.kind) {
      case 'every':
        return DISTRICT_ROOM;
      case 'street':
        return streetRoom(c.streetCode);
      case 'item-owner':
      case 'campaign-owner':
        return userRoom(c.userId);
    }
  });
  return [...new Set(rooms)];
}
