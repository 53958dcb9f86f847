import { describe, expect, it } from 'vitest';
import { GroupCommit, type Pending } from './group-commit';

/** A writer whose batches finish when the test says so. */
function gatedWriter() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const write = async (batch: readonly Pending<number, string>[]) => {
    batches.push(batch.map((p) => p.item));
    await new Promise<void>((open) => gates.push(open));
    for (const p of batch) p.succeed(`ok ${p.item}`);
  };
  const openNext = async () => {
    gates.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { batches, write, openNext };
}

describe('GroupCommit', () => {
  it('writes a lone item at once, and gathers what arrives meanwhile into the next batch', async () => {
    const w = gatedWriter();
    const gc = new GroupCommit(w.write, { maxBatch: 100, maxConcurrent: 1 });
    const first = gc.submit(1);
    expect(w.batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => gc.submit(n));
    expect(gc.load).toEqual({ queued: 3, running: 1 });
    await w.openNext();
    expect(await first).toBe('ok 1');
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    await w.openNext();
    expect(await Promise.all(rest)).toEqual(['ok 2', 'ok 3', 'ok 4']);
    expect(gc.counters).toEqual({ batches: 2, items: 4 });
  });

  it('keeps batches within maxBatch and runs at most maxConcurrent at once', async () => {
    const w = gatedWriter();
    const gc = new GroupCommit(w.write, { maxBatch: 2, maxConcurrent: 2 });
    const all = [1, 2, 3, 4, 5, 6, 7].map((n) => gc.submit(n));
    expect(w.batches).toEqual([[1], [2]]);
    await w.openNext();
    expect(w.batches).toEqual([[1], [2], [3, 4]]);
    for (let i = 0; i < 4; i++) await w.openNext();
    expect(w.batches).toEqual([[1], [2], [3, 4], [5, 6], [7]]);
    expect(await Promise.all(all)).toHaveLength(7);
  });

  it("gives each item its own answer or error, a failed batch's error to the items it left, and an error to items left unsettled", async () => {
    const gc = new GroupCommit<number, string>(
      async (batch) => {
        for (const p of batch) {
          if (p.item === 2) p.fail(new Error('refused 2'));
          if (p.item === 3) p.succeed('ok 3');
        }
        if (batch.some((p) => p.item === 9)) throw new Error('database down');
      },
      { maxBatch: 10, maxConcurrent: 1 },
    );
    const results = await Promise.allSettled([gc.submit(1), gc.submit(2), gc.submit(3)]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/unsettled/) } });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: 'refused 2' } });
    expect(results[2]).toEqual({ status: 'fulfilled', value: 'ok 3' });
    const down = await Promise.allSettled([gc.submit(9), gc.submit(3)]);
    expect(down[0]).toMatchObject({ status: 'rejected', reason: { message: 'database down' } });
    // Items of a later batch are not held back by an earlier failure.
    expect(await gc.submit(3)).toBe('ok 3');
  });

  it('writes an item its batch hands back in the next batch, without an error for it', async () => {
    const seen: number[][] = [];
    const gc: GroupCommit<number, string> = new GroupCommit<number, string>(
      async (batch) => {
        seen.push(batch.map((p) => p.item));
        for (const p of batch) {
          if (p.item === 2 && seen.length === 2) gc.requeue(p);
          else p.succeed(`ok ${p.item} in batch ${seen.length}`);
        }
      },
      { maxBatch: 10, maxConcurrent: 1 },
    );
    const first = gc.submit(1);
    const rest = [gc.submit(2), gc.submit(3)];
    expect(await first).toBe('ok 1 in batch 1');
    expect(await Promise.all(rest)).toEqual(['ok 2 in batch 3', 'ok 3 in batch 2']);
    expect(seen).toEqual([[1], [2, 3], [2]]);
  });
});
