import { once } from 'node:events';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOptions } from '@wangge/jobs';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { until } from '../support/until';

/**
 * A producer whose connection to Redis drops while the queue is starting must still add jobs once
 * Redis answers again. BullMQ checks the server's version with an INFO right after the connection is
 * ready; a producer fails fast (one retry, no offline queue), so a drop at that moment used to reject
 * the queue's start for good and every later add with it: an intake started while Redis flapped
 * never relayed its outbox (seen in CI as relay-concurrency failing with MaxRetriesPerRequestError).
 *
 * A proxy between the queue and a Redis of the test's own cuts the connection on its second INFO
 * (ioredis's own ready check is the first) and stops listening, as a Redis that died would, until the
 * queue has started or failed to.
 */
describe('a producer queue whose connection drops while it starts', () => {
  let redis: RedisServer;
  let proxy: Server;
  let port: number;
  let mode: 'cut-second-info' | 'refuse' | 'pass' = 'cut-second-info';

  beforeAll(async () => {
    redis = await startRedisServer();
    proxy = createServer((client) => {
      const upstream = new Socket();
      let infos = 0;
      upstream.connect(redis.port, '127.0.0.1');
      client.on('data', (chunk: Buffer) => {
        infos += chunk.toString('latin1').match(/\r\nINFO\r\n/gi)?.length ?? 0;
        if (mode === 'cut-second-info' && infos >= 2) {
          mode = 'refuse';
          proxy.close();
          client.destroy();
          upstream.destroy();
          return;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => client.write(chunk));
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    port = (proxy.address() as AddressInfo).port;
  });

  afterAll(async () => {
    proxy?.close();
    await redis?.close();
  });

  it('adds jobs once Redis answers again', async () => {
    const queue = new Queue('producer-start', { connection: redisOptions(`redis://127.0.0.1:${port}`, 'producer'), prefix: `ps${process.pid}` });
    queue.on('error', () => undefined);
    try {
      let started: 'yes' | 'failed' | undefined;
      queue.waitUntilReady().then(() => (started = 'yes'), () => (started = 'failed'));
      await until('the queue started or failed to', 10_000, () => started);
      mode = 'pass';
      if (!proxy.listening) {
        proxy.listen(port, '127.0.0.1');
        await once(proxy, 'listening');
      }
      const job = await until('a job added', 10_000, () => queue.add('ping', { n: 1 }, { jobId: 'ping-1' }).catch(() => undefined));
      expect(job.id).toBe('ping-1');
      expect(started).toBe('yes');
      expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    } finally {
      await queue.close();
    }
  });
});
