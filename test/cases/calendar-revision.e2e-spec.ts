import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessCalendarService } from '@wangge/workflow';
import { startIntake, type RunningApp } from '../support/apps';

/**
 * The holiday calendar's revision is read once per transaction: a transaction's readings of the work
 * clocks all follow the revision it first read (a dispatch asks for it three times), and the next
 * transaction, after a commit or a rollback, reads the calendar an admin saved meanwhile.
 */
describe('business calendar: one revision per transaction', () => {
  let intake: RunningApp;
  let db: Client;
  let ds: DataSource;
  let calendar: BusinessCalendarService;
  let day = 1;

  /** Another connection saves a holiday (the trigger raises the revision) and returns the new revision. */
  async function saveHoliday(): Promise<string> {
    const date = `2031-01-${String(day++).padStart(2, '0')}`;
    await db.query(`INSERT INTO holiday (date, kind, name, name_en) VALUES ($1, 'holiday', '测试假日', 'test holiday')`, [date]);
    const { rows } = await db.query(`SELECT revision::text AS revision FROM calendar_revision`);
    return rows[0].revision;
  }

  beforeAll(async () => {
    intake = await startIntake('calendar-rev');
    db = new Client({ connectionString: intake.databaseUrl });
    await db.connect();
    ds = intake.app.get(DataSource);
    calendar = intake.app.get(BusinessCalendarService);
  });

  afterAll(async () => {
    await db?.end();
    await intake?.close();
  });

  it('keeps the first reading for the rest of the transaction, and reads the saved calendar in the next', async () => {
    let first = '';
    let inside = '';
    let saved = '';
    let reads = 0;
    await ds.transaction(async (m) => {
      first = (await calendar.snapshot(m)).revision;
      saved = await saveHoliday();
      const counting = new Proxy(m, {
        get(target, key, receiver) {
          if (key !== 'query') return Reflect.get(target, key, receiver);
          return (sql: string, params?: unknown[]) => {
            if (/calendar_revision/.test(sql)) reads += 1;
            return target.query(sql, params);
          };
        },
      });
      inside = (await calendar.snapshot(counting)).revision;
      await calendar.current(counting);
    });
    expect(saved).not.toBe(first);
    expect(inside).toBe(first);
    expect(reads).toBe(0);

    const next = await ds.transaction((m) => calendar.snapshot(m));
    expect(next.revision).toBe(saved);
    expect(next.calendar.isWorkDay('2031-01-01')).toBe(false);
  });

  it('forgets the reading of a transaction that rolled back', async () => {
    let rolledBack = '';
    await expect(
      ds.transaction(async (m) => {
        rolledBack = (await calendar.snapshot(m)).revision;
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const saved = await saveHoliday();
    expect(saved).not.toBe(rolledBack);
    expect((await ds.transaction((m) => calendar.snapshot(m))).revision).toBe(saved);
  });

  it('reads the revision on every call outside a transaction', async () => {
    const before = (await calendar.snapshot()).revision;
    const saved = await saveHoliday();
    expect(saved).not.toBe(before);
    expect((await calendar.snapshot()).revision).toBe(saved);
  });
});
