import { CASE_EVENT_TYPES, type CaseEventType } from '@wangge/domain';
import type { CaseEventPayload } from '@wangge/events';
import { describe, expect, it } from 'vitest';
import { PUBLIC_EVENT_TYPES, publicCaseEvent, publicCaseOf, publicWordsOf, type PublicCaseSource } from './case-public-view';

const STAFF_NAME = '张三';

/** The staff view of a case, with every internal field filled in. */
function staffView(types: CaseEventType[]): PublicCaseSource & Record<string, unknown> {
  return {
    id: 'c1',
    code: '410104-20261206-000001',
    status: 'in_progress',
    statusName: { zh: '处置中', en: 'In progress' },
    category: { code: 'C0101', kind: 'component', name: '上水井盖', nameEn: 'Water manhole cover' },
    description: 'cover missing',
    location: { lng: 113.6, lat: 34.7 },
    address: null,
    addressId: null,
    gridCell: { code: '410104001001001' },
    street: { code: '410104001', name: '街道' },
    community: { code: '410104001001', name: '社区' },
    road: { id: 1, name: '文治路' },
    assignee: { id: 7, name: STAFF_NAME, level: 3, title: '路段长', titleEn: 'segment chief' } as PublicCaseSource['assignee'],
    deadlineAt: null,
    overdue: false,
    mergedInto: null,
    publicNote: null,
    media: [{ id: 'm1', url: '/api/v1/media/m1', contentType: 'image/jpeg' }],
    createdAt: '2026-12-06T00:00:00.000Z',
    updatedAt: '2026-12-06T00:00:00.000Z',
    closedAt: null,
    routingReason: `road 文治路 → level-3 chief ${STAFF_NAME}`,
    routingReasonZh: `文治路 → 3级路长 ${STAFF_NAME}`,
    reporter: { name: 'reporter', phone: '13800000000', email: null },
    extensionCount: 1,
    channel: 'wechat',
    timeline: types.map((type, i) => ({
      seq: i + 1,
      type,
      at: '2026-12-06T00:00:00.000Z',
      actor: { id: 'u1', role: 'chief', name: STAFF_NAME } as { role: string },
      from: 'registered',
      to: 'in_progress',
      reason: `reason of ${type}${type === 'case.returned' ? ` by ${STAFF_NAME}` : ''}`,
      note: `note of ${type}`,
      evidence: { assignee: { name: STAFF_NAME } },
    })),
  };
}

describe('the public view of a case (allow-list)', () => {
  it('keeps the public steps and words only; no staff name, no internal field', () => {
    const pub = publicCaseOf(staffView([...CASE_EVENT_TYPES]));
    const text = JSON.stringify(pub);
    expect(text).not.toContain(STAFF_NAME);
    expect(text).not.toContain('13800000000');
    for (const field of ['routingReason', 'routingReasonZh', 'assignee', 'reporter', 'extensionCount', 'channel']) expect(pub).not.toHaveProperty(field);
    expect(pub.responsible).toEqual({ level: 3, title: '路段长', titleEn: 'segment chief' });
    expect(pub.timeline!.map((e) => e.type).sort()).toEqual([...PUBLIC_EVENT_TYPES].sort());
    for (const hidden of ['case.extension_requested', 'case.extended', 'case.appealed', 'case.appeal_decided', 'case.commented', 'case.escalated', 'case.rerouted'] as const) {
      expect(pub.timeline!.map((e) => e.type)).not.toContain(hidden);
    }
    expect(pub.timeline!.find((e) => e.type === 'case.returned')!.note).toBeNull();
    expect(pub.timeline!.find((e) => e.type === 'case.resolved')!.note).toBe('note of case.resolved');
  });

  it("an event's public words: the reason of a rejection or cancellation, the note of a registration or resolution, nothing of a return", () => {
    const words = { reason: 'r', note: 'n' };
    expect(publicWordsOf('case.rejected', words)).toBe('r');
    expect(publicWordsOf('case.cancelled', words)).toBe('r');
    expect(publicWordsOf('case.resolved', words)).toBe('n');
    expect(publicWordsOf('case.merged', { reason: null, note: 'n' })).toBe('n');
    expect(publicWordsOf('case.returned', words)).toBeNull();
    expect(publicWordsOf('case.extended', words)).toBeNull();
  });

  it('the feed: a public step without staff identity or escalation; extensions, appeals and comments not at all', () => {
    const event = (type: CaseEventType): CaseEventPayload => ({
      seq: 1,
      caseId: 'c1',
      code: 'x',
      type,
      status: 'in_progress',
      at: '2026-12-06T00:00:00.000Z',
      light: null,
      limitUsed: null,
      actor: { id: 'u1', role: 'chief' },
      assignee: { id: 7, name: STAFF_NAME, level: 3 },
      escalationLevel: 1,
      escalatedTo: [8],
      deadlineAt: null,
      overdue: false,
      location: { lng: 1, lat: 2 },
      gridCode: 'g',
      streetCode: 's',
      categoryCode: 'C0101',
    });
    expect(publicCaseEvent(event('case.accepted'))).toMatchObject({ actor: { id: null, role: 'chief' }, assignee: null, escalatedTo: [], escalationLevel: 0 });
    for (const hidden of ['case.extension_requested', 'case.extended', 'case.appealed', 'case.appeal_decided', 'case.commented', 'case.escalated'] as const) {
      expect(publicCaseEvent(event(hidden)), hidden).toBeNull();
    }
  });
});
