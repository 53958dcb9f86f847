import { scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';
import { withDb } from '../support/cases';

/** A hash as written before 2026-12: scrypt at N = 2^14. */
function hashAtOldCost(password: string): string {
  const salt = Buffer.from('fedcba9876543210');
  return ['scrypt', 16384, 8, 1, salt.toString('base64'), scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')].join('$');
}

describe('passwords: scrypt at the current cost, older hashes rehashed at login', () => {
  let intake: RunningApp;
  const hashOf = () => withDb(intake.databaseUrl, async (db) => (await db.query(`SELECT password_hash FROM app_user WHERE username = 'operator'`)).rows[0].password_hash as string);

  beforeAll(async () => {
    intake = await startIntake('password-rehash');
    await withDb(intake.databaseUrl, (db) => db.query(`UPDATE app_user SET password_hash = $1 WHERE username = 'operator'`, [hashAtOldCost('old-cost-pass-1')]));
  });
  afterAll(async () => intake?.close());

  it('logs a user with an N = 2^14 hash in, stores the password again at N = 2^17, and the new hash logs in too', async () => {
    expect(await hashOf()).toMatch(/^scrypt\$16384\$/);
    await intake.bearer('operator', 'old-cost-pass-1');
    const rehashed = await hashOf();
    expect(rehashed).toMatch(/^scrypt\$131072\$8\$1\$/);
    await intake.bearer('operator', 'old-cost-pass-1');
    expect(await hashOf()).toBe(rehashed);
  });

  it('leaves the hash alone when the password is wrong', async () => {
    await withDb(intake.databaseUrl, (db) => db.query(`UPDATE app_user SET password_hash = $1 WHERE username = 'operator'`, [hashAtOldCost('old-cost-pass-1')]));
    const res = await fetch(`${intake.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: 'wrong-pass-12' }),
    });
    expect(res.status).toBe(401);
    expect(await hashOf()).toMatch(/^scrypt\$16384\$/);
  });
});
