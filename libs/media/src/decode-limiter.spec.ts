import { describe, expect, it } from 'vitest';
import { DecodeLimiter } from './decode-limiter';

/** Work that runs until the test releases it, counting how many run at once. */
function gate() {
  let running = 0;
  let peak = 0;
  const releases: (() => void)[] = [];
  const work = () =>
    new Promise<void>((resolve) => {
      running++;
      peak = Math.max(peak, running);
      releases.push(() => {
        running--;
        resolve();
      });
    });
  return { work, releases, running: () => running, peak: () => peak };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('DecodeLimiter', () => {
  it('runs at most `concurrency` at once; the rest wait in arrival order and run as slots free', async () => {
    const limiter = new DecodeLimiter(2, 10);
    const g = gate();
    const order: number[] = [];
    const all = Array.from({ length: 7 }, (_, i) => limiter.run(async () => (await g.work(), order.push(i))));
    await tick();
    expect(g.running()).toBe(2);
    expect(limiter.load).toEqual({ active: 2, waiting: 5 });
    while (g.releases.length) {
      g.releases.shift()!();
      await tick();
      expect(g.running()).toBeLessThanOrEqual(2);
    }
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(g.peak()).toBe(2);
    expect(limiter.peakActive).toBe(2);
    expect(limiter.load).toEqual({ active: 0, waiting: 0 });
  });

  it('refuses past the queue at once: 503 decoder_busy with Retry-After, naming the field and the limits', async () => {
    const limiter = new DecodeLimiter(1, 2);
    const g = gate();
    const admitted = [limiter.run(g.work), limiter.run(g.work), limiter.run(g.work)];
    const refused = await limiter.run(g.work).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'decoder_busy', status: 503, retryAfterSeconds: 2, details: [{ field: 'file' }] });
    expect((refused as Error).message).toMatch(/ \/ /);
    expect(JSON.stringify(refused)).not.toContain('undefined');
    expect(limiter.refused).toBe(1);
    expect((refused as { details: { problem: string }[] }).details[0].problem).toMatch(/MEDIA_DECODE_CONCURRENCY 1, MEDIA_DECODE_QUEUE 2/);
    while (g.releases.length || limiter.load.active) {
      g.releases.shift()?.();
      await tick();
    }
    await Promise.all(admitted);
  });

  it('frees the slot when the work fails', async () => {
    const limiter = new DecodeLimiter(1, 0);
    await expect(limiter.run(() => Promise.reject(new Error('corrupt')))).rejects.toThrow('corrupt');
    await expect(limiter.run(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
