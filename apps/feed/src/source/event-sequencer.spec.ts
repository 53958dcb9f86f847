import { describe, expect, it } from 'vitest';
import type { CaseEventMessage } from '@wangge/events';
import { EventSequencer } from './event-sequencer';

const m = (seq: number): CaseEventMessage => ({ seq }) as CaseEventMessage;
const seqs = (list: CaseEventMessage[]) => list.map((x) => x.seq);

describe('EventSequencer', () => {
  it('passes a contiguous run in order and remembers where it stopped', () => {
    const s = new EventSequencer(10);
    const r = s.offer([m(11), m(12), m(13)]);
    expect(seqs(r.ready)).toEqual([11, 12, 13]);
    expect(r.gap).toBeNull();
    expect(s.lastSeq).toBe(13);
  });

  it('drops what it already passed and repeats within a batch', () => {
    const s = new EventSequencer(10);
    s.offer([m(11)]);
    const r = s.offer([m(9), m(11), m(12), m(12)]);
    expect(seqs(r.ready)).toEqual([12]);
  });

  it('reorders events the stream brought out of order', () => {
    const s = new EventSequencer(0);
    expect(seqs(s.offer([m(2), m(3)]).ready)).toEqual([]);
    expect(seqs(s.offer([m(1)]).ready)).toEqual([1, 2, 3]);
  });

  it('reports the gap up to the newest waiting seq', () => {
    const s = new EventSequencer(5);
    const r = s.offer([m(6), m(8), m(11)]);
    expect(seqs(r.ready)).toEqual([6]);
    expect(r.gap).toEqual({ after: 6, upTo: 11 });
  });

  it('settles a gap with the rows from the database, skipping seqs that were rolled back', () => {
    const s = new EventSequencer(5);
    s.offer([m(6), m(8), m(11)]);
    // The database has 7, 8 and 11 (9 and 10 were rolled back); 8 and 11 also wait in the sequencer.
    const r = s.settle([m(8), m(7), m(11)], 11);
    expect(seqs(r.ready)).toEqual([7, 8, 11]);
    expect(r.gap).toBeNull();
    expect(s.lastSeq).toBe(11);
    expect(s.waitingCount).toBe(0);
  });

  it('passes waiting events that follow a settled range', () => {
    const s = new EventSequencer(0);
    s.offer([m(3), m(4)]);
    const r = s.settle([m(1), m(2)], 2);
    expect(seqs(r.ready)).toEqual([1, 2, 3, 4]);
    expect(s.lastSeq).toBe(4);
  });

  it('ignores rows at or before the last seq when settling', () => {
    const s = new EventSequencer(10);
    const r = s.settle([m(9), m(10), m(12)], 12);
    expect(seqs(r.ready)).toEqual([12]);
  });

  it('does not move past what the database confirms', () => {
    const s = new EventSequencer(5);
    s.offer([m(6), m(50)]);
    // 50 is not in the database (a message from elsewhere): the feed stops at 7, and 8…50 still come.
    const r = s.settle([m(7)], 50);
    expect(seqs(r.ready)).toEqual([7]);
    expect(s.lastSeq).toBe(7);
    expect(s.waitingCount).toBe(0);
    expect(seqs(s.offer([m(8)]).ready)).toEqual([8]);
  });

  it('never moves backwards', () => {
    const s = new EventSequencer(10);
    expect(seqs(s.settle([], 8).ready)).toEqual([]);
    expect(s.lastSeq).toBe(10);
  });
});
