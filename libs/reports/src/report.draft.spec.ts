import { describe, expect, it } from 'vitest';
import { trackingTokenHash } from '@wangge/events';
import { reportRow, type Actor } from '@wangge/workflow';
import { reportDraft, withDrawn, type ReportDraftInput } from './report.draft';
import type { AcceptedReport } from './report.types';

const NOW = new Date('2026-12-06T02:00:00Z');
const WARDEN: Actor = { id: 'u-1', role: 'warden', name: 'Wang / 王', chiefId: null, cellCodes: new Set(['C1']), streetCode: 'S1' };

const ACCEPTED: AcceptedReport = {
  category: { code: 'E0101', kind: 'event', name: '暴露垃圾', name_en: 'Exposed garbage', auto_register: true, active: true },
  standardId: 7,
  point: { lng: 113.68, lat: 34.74 },
  place: {
    gridCell: { code: 'C1' },
    street: { code: 'S1', name: '街道' },
    community: { code: 'M1', name: '社区' },
    road: { id: 5, name: '金水路', segment: { id: 51, seq: 1, ref: 'R5-1' } },
    distanceM: 3.2,
  },
  duplicate: null,
  registers: true,
};

function input(over: Partial<ReportDraftInput> = {}): ReportDraftInput {
  return {
    n: 2,
    id: 'case-id',
    input: {
      categoryCode: 'E0101',
      description: 'garbage by the gate',
      location: { lng: 113.6742, lat: 34.7431 },
      coordSystem: 'gcj02',
      channel: 'app',
      mediaIds: ['m1', 'm1', 'm2'],
      reporter: { name: 'Li', phone: '13800000000' },
    },
    actor: WARDEN,
    source: 'warden',
    accepted: ACCEPTED,
    now: NOW,
    trackingToken: 'token',
    contentTypes: new Map([['m1', 'image/jpeg']]),
    ...over,
  };
}

describe('the draft of a new case (pure)', () => {
  it('the row: the checked place and point, the reported coordinate system, registered when it registers itself', () => {
    const row = reportRow({ id: 'case-id', input: input().input, actor: WARDEN, source: 'warden', accepted: ACCEPTED, now: NOW });
    expect(row).toMatchObject({
      id: 'case-id',
      code: '',
      status: 'registered',
      category_code: 'E0101',
      standard_id: 7,
      lng: 113.68,
      lat: 34.74,
      reported_coord_system: 'gcj02',
      grid_cell_code: 'C1',
      street_code: 'S1',
      community_code: 'M1',
      road_id: 5,
      segment_id: 51,
      road_distance_m: 3.2,
      source: 'warden',
      channel: 'app',
      reporter_id: 'u-1',
      reporter_name: 'Li',
      reporter_phone: '13800000000',
      reporter_email: null,
      possible_duplicate_of: null,
      created_at: NOW,
      updated_at: NOW,
    });
    const plain = reportRow({ id: 'x', input: { ...input().input, coordSystem: undefined }, actor: WARDEN, source: 'citizen', accepted: { ...ACCEPTED, registers: false }, now: NOW });
    expect([plain.status, plain.reported_coord_system]).toEqual(['reported', 'wgs84']);
  });

  it('the statement row: both first events, photos once each, the token only as its hash, no key without one', () => {
    const { json } = reportDraft(input());
    expect(json).toMatchObject({
      n: 2,
      id: 'case-id',
      status: 'registered',
      reported_lng: 113.6742,
      reported_lat: 34.7431,
      coord: 'gcj02',
      media: ['m1', 'm2'],
      evidence: { mediaIds: ['m1', 'm2'] },
      token_hash: trackingTokenHash('token'),
      registers: true,
      duplicate: null,
      actor_role: 'warden',
    });
    expect(Object.keys(json.messages as object)).toEqual(['case.reported', 'case.registered']);
    expect(JSON.stringify(json)).not.toContain('"token"');
    expect(json).not.toHaveProperty('key');
  });

  it('a possible duplicate is named in the evidence and does not register; the key and stored answer ride along', () => {
    const { json, view } = reportDraft(
      input({ accepted: { ...ACCEPTED, duplicate: 'old', registers: false }, idempotency: { scope: 'warden:u-1', key: 'k', hash: 'h' }, input: { ...input().input, mediaIds: [] } }),
    );
    expect(json).toMatchObject({ status: 'reported', evidence: { possibleDuplicateOf: 'old' }, key_scope: 'warden:u-1', key: 'k', request_hash: 'h', response: view });
    expect(Object.keys(json.messages as object)).toEqual(['case.reported']);
  });

  it('the answer: the reporter’s view with photos and the first events, seqs and code drawn later', () => {
    const { view } = reportDraft(input());
    expect(view.media).toEqual([
      { id: 'm1', url: '/api/v1/media/m1', contentType: 'image/jpeg' },
      { id: 'm2', url: '/api/v1/media/m2', contentType: 'application/octet-stream' },
    ]);
    expect(view.timeline?.map((t) => [t.seq, t.type, t.actor.role, t.to])).toEqual([
      [0, 'case.reported', 'warden', 'reported'],
      [0, 'case.registered', 'system', 'registered'],
    ]);
    const drawn = withDrawn(view, '410104-20261206-000001', ['41', 42]);
    expect([drawn.code, drawn.timeline?.map((t) => t.seq)]).toEqual(['410104-20261206-000001', [41, 42]]);
    expect(withDrawn(view, null, null)).toBe(view);
  });
});
