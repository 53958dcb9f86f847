import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';
import { sleep } from './reliability';

/** One GET on the agent's pooled connection: the status, and whether it reused an open connection. */
function get(agent: http.Agent, url: string): Promise<{ status: number; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

/**
 * A client pool or a proxy (nginx's upstream keepalive, a cloud load balancer: 60 s) reuses idle
 * connections. The server must not close them first: with Node's 5 s default a request sent as the
 * server closes the connection fails with ECONNRESET (bench:e2e saw it at 200 reports/s).
 */
describe('idle keep-alive connections', () => {
  let intake: RunningApp;
  beforeAll(async () => {
    intake = await startIntake('keep_alive');
  });
  afterAll(async () => intake?.close());

  it('stay open past Node’s 5 s default, so a pooled connection is reused', { timeout: 20_000 }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(agent, `${intake.baseUrl}/health`)).toEqual({ status: 200, reusedSocket: false });
      await sleep(6_500);
      expect(await get(agent, `${intake.baseUrl}/health`)).toEqual({ status: 200, reusedSocket: true });
    } finally {
      agent.destroy();
    }
  });
});
