import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeriodicSweep } from './periodic-sweep';

class Recording extends PeriodicSweep {
  protected readonly logger = new Logger('test');
  protected readonly what = 'test timers';
  readonly calls: boolean[] = [];
  constructor(
    protected readonly intervalMs: number,
    private readonly work: (all: boolean) => Promise<void> = async () => undefined,
  ) {
    super();
  }
  async sweep(all: boolean): Promise<void> {
    this.calls.push(all);
    await this.work(all);
  }
}

describe('PeriodicSweep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sweeps everything at start, then what is late at every interval (the start sweep does not stop the later ones)', async () => {
    const s = new Recording(1000);
    s.onApplicationBootstrap();
    await vi.advanceTimersByTimeAsync(3500);
    expect(s.calls).toEqual([true, false, false, false]);
    await s.onApplicationShutdown();
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.calls).toHaveLength(4);
  });

  it('never runs two sweeps at once, and goes on after a sweep that failed', async () => {
    let slow = true;
    const s = new Recording(1000, async (all) => {
      if (all) throw new Error('redis down');
      if (slow) await new Promise((r) => setTimeout(r, 2500));
    });
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    s.onApplicationBootstrap();
    await vi.advanceTimersByTimeAsync(1000); // the first interval sweep starts and takes 2.5 s
    slow = false;
    await vi.advanceTimersByTimeAsync(2000); // its ticks at 2 s and 3 s find it running
    expect(s.calls).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(1000); // it ended at 3.5 s: the tick at 4 s sweeps
    expect(s.calls).toEqual([true, false, false]);
    await s.onApplicationShutdown();
  });
});
