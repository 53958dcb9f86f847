import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeApp } from '../../apps/intake/src/intake.app';
import { startIntake, testConfig, type RunningApp } from '../support/apps';
import { api, pointInWardenCell, withDb } from '../support/cases';

/**
 * Tracking tokens are keyed by TRACKING_TOKEN_SECRET, not JWT_SECRET: an intake restarted with a
 * new JWT secret still honours the tracking links it gave out, and answers a replayed report with
 * the same token.
 */
describe('tracking tokens outlive a JWT secret rotation', () => {
  let first: RunningApp;
  let rotated: INestApplication | undefined;
  const trackingSecret = randomBytes(32).toString('hex');

  beforeAll(async () => {
    first = await startIntake('tracking_secret', { TRACKING_TOKEN_SECRET: trackingSecret });
  });
  afterAll(async () => {
    await rotated?.close();
    await first?.close();
  });

  it('the old tracking link and a replay of the report keep working after JWT_SECRET changes', async () => {
    const p = await withDb(first.databaseUrl, (db) => pointInWardenCell(db, 'warden1'));
    const key = randomUUID();
    const report = { categoryCode: 'E0102', description: '暴露垃圾 rotation', location: { lng: p.lng, lat: p.lat } };
    const created = await api(first).post<{ id: string; trackingToken: string }>('/api/v1/cases', report, undefined, { 'idempotency-key': key });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id, trackingToken } = created.body;

    rotated = await createIntakeApp(testConfig(first.databaseUrl, { JWT_SECRET: randomBytes(32).toString('hex'), TRACKING_TOKEN_SECRET: trackingSecret }));
    await rotated.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(rotated.getHttpServer().address() as { port: number }).port}`;
    const http = api({ baseUrl } as RunningApp);

    const tracked = await http.get<{ id: string }>(`/api/v1/cases/${id}?trackingToken=${trackingToken}`);
    expect(tracked.status).toBe(200);
    expect(tracked.body.id).toBe(id);

    const replayed = await http.post<{ id: string; trackingToken: string }>('/api/v1/cases', report, undefined, { 'idempotency-key': key });
    expect(replayed.body).toMatchObject({ id, trackingToken });
  });
});
