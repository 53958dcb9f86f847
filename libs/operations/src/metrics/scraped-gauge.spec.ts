import { register } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { removeGauges, scrapedGauge, scrapedLabelledGauge, sharedRead } from './scraped-gauge';

async function values(name: string): Promise<{ labels: Partial<Record<string, string | number>>; value: number }[]> {
  const metric = register.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  return (await metric.get()).values.map(({ labels, value }) => ({ labels, value }));
}

describe('scraped gauges', () => {
  afterEach(() => register.clear());

  it('reads a synchronous or asynchronous value at each scrape', async () => {
    let n = 1;
    scrapedGauge('t_sync', 'sync', () => n);
    scrapedGauge('t_async', 'async', async () => n * 10);
    expect(await values('t_sync')).toEqual([{ labels: {}, value: 1 }]);
    n = 2;
    expect(await values('t_async')).toEqual([{ labels: {}, value: 20 }]);
    expect(await register.metrics()).toMatch(/^t_sync 2$/m);
  });

  it('shows NaN when the read throws, rejects or outlasts its timeout, and the scrape still answers', async () => {
    scrapedGauge('t_throws', 'throws', () => {
      throw new Error('boom');
    });
    scrapedGauge('t_rejects', 'rejects', () => Promise.reject(new Error('boom')));
    scrapedGauge('t_hangs', 'hangs', () => new Promise<number>(() => undefined), { timeoutMs: 50 });
    const text = await register.metrics();
    expect(text).toMatch(/^t_throws nan$/im);
    expect(text).toMatch(/^t_rejects nan$/im);
    expect(text).toMatch(/^t_hangs nan$/im);
  });

  it('labelled: one value per label set; on failure every label set shown turns NaN', async () => {
    let fail = false;
    scrapedLabelledGauge('t_labelled', 'labelled', ['state'], async () => {
      if (fail) throw new Error('down');
      return [{ labels: { state: 'idle' }, value: 3 }];
    }, { labelSets: [{ state: 'idle' }, { state: 'busy' }] });
    expect(await values('t_labelled')).toEqual([
      { labels: { state: 'idle' }, value: 3 },
      { labels: { state: 'busy' }, value: NaN },
    ]);
    fail = true;
    expect((await values('t_labelled')).map((v) => v.value)).toEqual([NaN, NaN]);
  });

  it('sharedRead: the gauges of one scrape share one read; the next scrape reads again', async () => {
    let reads = 0;
    const read = sharedRead(async () => ({ a: 1, b: 2, n: ++reads }));
    scrapedGauge('t_a', 'a', async () => (await read()).a);
    scrapedGauge('t_b', 'b', async () => (await read()).b);
    await register.metrics();
    expect(reads).toBe(1);
    await register.metrics();
    expect(reads).toBe(2);
  });

  it('removeGauges leaves a gauge that has since been registered again under the same name', async () => {
    const first = scrapedGauge('t_again', 'first', () => 1);
    scrapedGauge('t_again', 'second', () => 2);
    removeGauges(first);
    expect(await values('t_again')).toEqual([{ labels: {}, value: 2 }]);
  });
});
