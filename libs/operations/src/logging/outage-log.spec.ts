import { describe, expect, it } from 'vitest';
import { OutageLog } from './outage-log';

function recorder() {
  const lines: string[] = [];
  return {
    lines,
    logger: { log: (m: string) => lines.push(`log ${m}`), warn: (m: string) => lines.push(`warn ${m}`) },
  };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('OutageLog', () => {
  it('logs an outage once when it begins and once when it ends, however many attempts fail', () => {
    const { lines, logger } = recorder();
    let t = 1_000;
    const outage = new OutageLog(logger, 'PostgreSQL (feed)', undefined, () => t);
    outage.succeeded();
    expect(lines).toEqual([]);
    for (let i = 0; i < 30; i++) {
      outage.failed(refused);
      t += 1_000;
    }
    expect(outage.down).toBe(true);
    expect(lines).toEqual(['warn PostgreSQL (feed) unreachable (connect ECONNREFUSED 127.0.0.1:5432); retrying, logged again when it is back']);
    outage.succeeded();
    outage.succeeded();
    expect(outage.down).toBe(false);
    expect(lines[1]).toBe('log PostgreSQL (feed) reachable again after 30000 ms (30 failed attempts)');
    expect(lines).toHaveLength(2);
    // A second outage is logged again, with its own count.
    outage.failed(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    t += 500;
    outage.succeeded();
    expect(lines.slice(2)).toEqual([
      'warn PostgreSQL (feed) unreachable (terminating connection due to administrator command); retrying, logged again when it is back',
      'log PostgreSQL (feed) reachable again after 500 ms (1 failed attempts)',
    ]);
  });

  it('leaves a failure that is not an outage to the caller, and does not take it for one', () => {
    const { lines, logger } = recorder();
    const outage = new OutageLog(logger, 'PostgreSQL (feed)');
    const bug = Object.assign(new Error('column "sq" does not exist'), { code: '42703' });
    expect(outage.failed(bug)).toBe(false);
    expect(outage.down).toBe(false);
    expect(lines).toEqual([]);
    expect(outage.failed(refused)).toBe(true);
    expect(outage.failed(bug)).toBe(false);
    expect(outage.down).toBe(true);
  });

  it('takes its own test of what an outage is (Redis)', () => {
    const { lines, logger } = recorder();
    const outage = new OutageLog(logger, 'Redis (outbox relay)', (err) => /redis is/.test(String(err)));
    outage.failed(new Error('redis is reconnecting'));
    outage.failed(new Error('redis is reconnecting'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warn Redis \(outbox relay\) unreachable/);
  });
});
