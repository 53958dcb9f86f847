import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '@wangge/database';
import { OverdueCasesQuery } from '@wangge/workflow';
import { createTestDatabase } from '../support/database';
import { craftCase, loop, type Chief, type CraftedEvent } from './crafted-cases';

const HOUR = 3_600_000;

/**
 * The workflow's overdue list of a bulletin (OverdueCasesQuery), from the case events alone: an
 * approved appeal (its `case.appeal_decided` event) exempts a case; a rejected one does not.
 */
describe('OverdueCasesQuery: the cases open and overdue at an instant', () => {
  let db: Client;
  let ds: DataSource;
  let drop: () => Promise<void>;
  let chief: Chief;
  let place: { lng: number; lat: number; cellCode: string };

  beforeAll(async () => {
    const t = await createTestDatabase('overdue_cases');
    drop = t.drop;
    db = new Client({ connectionString: t.url });
    await db.connect();
    ds = await createDataSource({ url: t.url, poolSize: 2 }).initialize();
    const { rows: chiefs } = await db.query(`SELECT ch.id, u.name, ch.level FROM road_chief ch JOIN app_user u ON u.id = ch.user_id ORDER BY ch.id LIMIT 1`);
    chief = { id: chiefs[0].id, name: chiefs[0].name, level: chiefs[0].level };
    const { rows: cells } = await db.query(`SELECT code, ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid_cell ORDER BY code LIMIT 1`);
    place = { lng: cells[0].lng, lat: cells[0].lat, cellCode: cells[0].code };
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.end();
    await drop?.();
  });

  it('lists the open overdue cases; an approved appeal exempts one, a rejected one does not', async () => {
    const t0 = new Date('2020-01-01T01:00:00Z');
    const craft = async (decision: boolean | null) => {
      const l = loop(t0, chief, 2, null);
      const events: CraftedEvent[] = [...l.events];
      if (decision !== null) {
        const at = new Date(l.deadlineAt.getTime() + HOUR);
        // every event keeps the case's state as it stood (the overdue mark's)
        const state = l.events[l.events.length - 1].state;
        events.push({ type: 'case.appealed', at, from: 'dispatched', to: 'dispatched', state, evidence: { chiefId: chief.id } });
        events.push({ type: 'case.appeal_decided', at: new Date(at.getTime() + HOUR), from: 'dispatched', to: 'dispatched', state, evidence: { chiefId: chief.id, approved: decision } });
      }
      return craftCase(db, { ...place, status: l.status, createdAt: t0, assigneeChiefId: chief.id, deadlineAt: l.deadlineAt, overdue: true, events });
    };
    const plain = await craft(null);
    const approved = await craft(true);
    const rejected = await craft(false);
    const list = await new OverdueCasesQuery(ds).at(new Date(t0.getTime() + 24 * HOUR));
    expect(list.map((c) => c.code).sort()).toEqual([plain.code, rejected.code].sort());
    expect(list.find((c) => c.code === plain.code)).toMatchObject({
      status: 'dispatched',
      assignee: { id: chief.id, name: chief.name, level: chief.level },
      escalationLevel: 0,
      hoursOverdue: 22,
    });
    expect(list.map((c) => c.code)).not.toContain(approved.code);
  });
});
