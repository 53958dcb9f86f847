import { describe, expect, it } from 'vitest';
import type { CasePrincipal } from './case-access';
import { placeRooms, placeScopeSql, placeVisible, type PlaceShape } from './place-access';

const place: PlaceShape = { id: 'p1', streetCode: '410104001', gridCellCode: '410104001001001', chiefId: 7, responsibleId: 'resp' };
const principal = (over: Partial<CasePrincipal>): CasePrincipal => ({ id: 'u', role: 'warden', streetCode: null, chiefId: null, cellCodes: new Set(), ...over });

describe('place access (the case access model, read with a place)', () => {
  it.each([
    ['a district leader', principal({ role: 'leader' }), true],
    ['street staff of its street', principal({ role: 'operator', streetCode: '410104001' }), true],
    ['street staff of another street', principal({ role: 'admin', streetCode: '410104002' }), false],
    ['a warden of its cell', principal({ cellCodes: new Set(['410104001001001']) }), true],
    ['a warden of other cells', principal({ cellCodes: new Set(['410104001001002']) }), false],
    ['a warden responsible for it', principal({ id: 'resp' }), true],
    ['the chief routing names there', principal({ role: 'chief', chiefId: 7 }), true],
    ['another chief', principal({ role: 'chief', chiefId: 8 }), false],
    ['a chief named responsible but not routed there (chiefs hold no own-reports scope)', principal({ id: 'resp', role: 'chief', chiefId: 8 }), false],
    ['a citizen, even the responsible person', principal({ id: 'resp', role: 'citizen' }), false],
    ['a tracking-token holder', principal({ role: 'citizen', id: null, trackedCaseIds: new Set(['p1']) }), false],
  ])('%s: %s', (_, p, sees) => {
    expect(placeVisible(p, place)).toBe(sees);
  });

  it('gives SQL on the place table and rooms that meet the principals’ rooms', () => {
    const params: unknown[] = [];
    const param = (v: unknown) => (params.push(v), `$${params.length}`);
    expect(placeScopeSql(principal({ role: 'chief', chiefId: 7, id: 'c' }), 'pl', param)).toMatch(/^\(pl\.chief_id = \$1::int OR /);
    expect(placeScopeSql(principal({ cellCodes: new Set(['c1']), id: 'w' }), 'pl', param)).toBe('(pl.grid_cell_code = $4::text OR pl.responsible_id = $5::uuid)');
    expect(placeScopeSql(principal({ role: 'citizen' }), 'pl', param)).toBe('false');
    expect(placeScopeSql(principal({ role: 'leader' }), 'pl', param)).toBe('true');
    expect(placeRooms(place)).toEqual(expect.arrayContaining(['district', 'street:410104001', 'cell:410104001001001', 'chief:7']));
  });
});
