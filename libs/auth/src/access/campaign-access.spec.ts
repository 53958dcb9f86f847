import { describe, expect, it } from 'vitest';
import type { CasePrincipal } from './case-access';
import {
  campaignActAllowed,
  campaignCreateAllowed,
  campaignItemActAllowed,
  campaignItemRooms,
  campaignItemScopeSql,
  campaignItemVisible,
  principalCampaignRooms,
  type CampaignItemShape,
} from './campaign-access';

const item: CampaignItemShape = { streetCode: '410104001', ownerId: 'owner', campaignOwnerId: 'boss' };
const principal = (over: Partial<CasePrincipal>): CasePrincipal => ({ id: 'u', role: 'warden', streetCode: null, chiefId: null, cellCodes: new Set(), ...over });

describe('campaign access (district and street from the case access model; owners their items)', () => {
  it.each([
    ['a district leader', principal({ role: 'leader' }), true, true],
    ['a district operator', principal({ role: 'operator' }), true, true],
    ['street staff of its street', principal({ role: 'operator', streetCode: '410104001' }), true, true],
    ['street staff of another street', principal({ role: 'leader', streetCode: '410104002' }), false, false],
    ['the warden who owns it', principal({ id: 'owner', cellCodes: new Set(['x']) }), true, true],
    ['the chief who owns it', principal({ id: 'owner', role: 'chief', chiefId: 3 }), true, true],
    ['another chief', principal({ id: 'c2', role: 'chief', chiefId: 4 }), false, false],
    ['a warden of the street who does not own it', principal({ id: 'w2', cellCodes: new Set(['410104001001001']) }), false, false],
    ['the campaign owner', principal({ id: 'boss', role: 'leader', streetCode: '410104009' }), true, true],
    ['a citizen named as owner', principal({ id: 'owner', role: 'citizen' }), false, false],
  ])('%s: sees %s, reports progress %s', (_, p, sees, acts) => {
    expect(campaignItemVisible(p, item)).toBe(sees);
    expect(campaignItemActAllowed(p, item, 'progress')).toBe(acts);
    // The feed: the principal's rooms meet the item's exactly where they see it.
    const rooms = new Set(campaignItemRooms(item));
    expect(principalCampaignRooms(p).some((r) => rooms.has(r))).toBe(sees);
  });

  it('lets district staff make campaigns, owners only report, street staff add items of their street', () => {
    expect(campaignCreateAllowed(principal({ role: 'leader' }))).toBe(true);
    expect(campaignCreateAllowed(principal({ role: 'leader', streetCode: '410104001' }))).toBe(false);
    expect(campaignCreateAllowed(principal({ role: 'chief', chiefId: 1 }))).toBe(false);
    expect(campaignItemActAllowed(principal({ id: 'owner', role: 'chief', chiefId: 3 }), item, 'add-item')).toBe(false);
    expect(campaignItemActAllowed(principal({ role: 'operator', streetCode: '410104001' }), item, 'add-item')).toBe(true);
    expect(campaignItemActAllowed(principal({ id: 'boss', role: 'chief', chiefId: 9 }), item, 'add-item')).toBe(true);
  });

  it('lets district staff and the campaign owner change the campaign; street staff change their street’s items too, item owners never', () => {
    const boss = { ownerId: 'boss' };
    expect(campaignActAllowed(principal({ role: 'leader' }), boss, 'edit')).toBe(true);
    expect(campaignActAllowed(principal({ id: 'boss', role: 'chief', chiefId: 9 }), boss, 'edit')).toBe(true);
    expect(campaignActAllowed(principal({ role: 'operator', streetCode: '410104001' }), boss, 'edit')).toBe(false);
    expect(campaignActAllowed(principal({ id: 'owner', role: 'chief', chiefId: 3 }), boss, 'edit')).toBe(false);
    expect(campaignItemActAllowed(principal({ role: 'operator', streetCode: '410104001' }), item, 'edit-item')).toBe(true);
    expect(campaignItemActAllowed(principal({ role: 'operator', streetCode: '410104002' }), item, 'edit-item')).toBe(false);
    expect(campaignItemActAllowed(principal({ id: 'boss', role: 'leader', streetCode: '410104009' }), item, 'edit-item')).toBe(true);
    expect(campaignItemActAllowed(principal({ id: 'owner', role: 'chief', chiefId: 3 }), item, 'edit-item')).toBe(false);
    expect(campaignItemActAllowed(principal({ id: 'owner', cellCodes: new Set(['x']) }), item, 'edit-item')).toBe(false);
  });

  it('gives the same scope as SQL', () => {
    const params: unknown[] = [];
    const param = (v: unknown) => (params.push(v), `$${params.length}`);
    const on = { streetCode: 'ci.street_code', ownerId: 'ci.owner_id', campaignOwnerId: 'c.owner_id' };
    expect(campaignItemScopeSql(principal({ role: 'leader' }), on, param)).toBe('true');
    expect(campaignItemScopeSql(principal({ role: 'citizen' }), on, param)).toBe('false');
    expect(campaignItemScopeSql(principal({ role: 'chief', chiefId: 1, id: 'c' }), on, param)).toBe('(c.owner_id = $1::uuid OR ci.owner_id = $2::uuid)');
    expect(campaignItemScopeSql(principal({ role: 'operator', streetCode: 's1', id: 'o' }), on, param)).toBe('(ci.street_code = $3::text OR c.owner_id = $4::uuid OR ci.owner_id = $5::uuid)');
  });
});
