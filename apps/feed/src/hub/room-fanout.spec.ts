import { describe, expect, it } from 'vitest';
import type { CaseEventPayload } from '@wangge/events';
import { caseEventFrame, viewsPerConnection, type BatchEvent } from './room-fanout';

const payload = (seq: number): CaseEventPayload => ({ seq, caseId: `c${seq}` }) as unknown as CaseEventPayload;
const event = (seq: number, staffRooms: string[], publicRooms: string[], publicView = true): BatchEvent => ({
  staffRooms: ['district', ...staffRooms],
  publicRooms,
  staff: payload(seq),
  public: publicView ? payload(seq) : null,
});

describe('viewsPerConnection: each connection gets its events once, in order, in its view', () => {
  const rooms = new Map<string, Set<string>>([
    ['district', new Set(['wall1', 'wall2'])],
    ['street:1', new Set(['streetA', 'warden'])],
    ['cell:11', new Set(['warden'])],
    ['chief:5', new Set(['chief5'])],
    ['public:case:c1', new Set(['tracker', 'warden', 'wall1'])],
    ['public:reporter:r', new Set(['tracker'])],
  ]);
  const events = [
    event(1, ['street:1', 'cell:11'], ['public:case:c1', 'public:reporter:r']),
    event(2, ['street:2', 'chief:5'], ['public:case:c2']),
    event(3, ['street:1', 'chief:5'], ['public:case:c1'], false),
  ];
  const { everything, views } = viewsPerConnection(rooms, events);

  it.each([
    ['streetA', [0, 4]],
    ['warden', [0, 4]], // in street:1 and cell:11 and tracking c1: event 1 once, as staff
    ['chief5', [2, 4]],
    ['tracker', [1]], // the public view of event 1 once (two of its public rooms); event 3 has no public view
  ])('%s gets views %j', (id, expected) => {
    expect(views.get(id)).toEqual(expected);
  });

  it('leaves district-wide connections (every event as staff) out of the per-connection lists', () => {
    expect([...everything]).toEqual(['wall1', 'wall2']);
    expect(views.has('wall1')).toBe(false);
    expect(views.has('wall2')).toBe(false);
  });

  it('lists no connection that gets nothing of the batch', () => {
    expect([...views.keys()].sort()).toEqual(['chief5', 'streetA', 'tracker', 'warden']);
  });
});

describe('caseEventFrame', () => {
  it('is the unmasked WebSocket text frame socket.io sends for a case.event', () => {
    const frame = caseEventFrame(payload(1));
    const text = '42/feed,["case.event",{"seq":1,"caseId":"c1"}]';
    expect(frame.subarray(0, 2)).toEqual(Buffer.from([0x81, text.length]));
    expect(frame.subarray(2).toString()).toBe(text);
  });
});
