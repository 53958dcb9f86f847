import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningApp } from '../support/apps';
import { count } from '../support/cases';
import { sendBody } from './raw-body';

const MiB = 1024 * 1024;

/**
 * Body limits per route, checked before the body is parsed: 1 MiB (BODY_MAX_BYTES) everywhere,
 * anonymous routes included; the admin import its own (IMPORT_MAX_BYTES), for admins only.
 */
describe('body limits', () => {
  let app: RunningApp;
  let db: Client;

  beforeAll(async () => {
    app = await startIntake('body_limits', { REPORT_RATE_LIMIT: '100000', IMPORT_MAX_BYTES: String(8 * MiB) });
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('answers a declared 2 MiB anonymous report 413 in the error shape, before reading it, and writes nothing', async () => {
    const before = await count(db, 'case_file');
    const res = await sendBody(app.baseUrl, '/api/v1/cases', { bytes: 2 * MiB, headers: { connection: 'keep-alive' } });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
    expect(String((res.body as { message: string }).message)).toMatch(/1048576 bytes/);
    // The rest is dropped, not parsed: the connection stays usable, and the client reads the 413.
    expect(res.headers.connection).not.toBe('close');
    expect(await count(db, 'case_file')).toBe(before);
  });

  it('closes the connection after the 413 when the declared body is past what is worth reading and dropping', async () => {
    const res = await sendBody(app.baseUrl, '/api/v1/cases', { bytes: 64 * MiB + 1, declareOnly: true, headers: { connection: 'keep-alive' } });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
  });

  it('answers on the declared length alone, without waiting for the body', async () => {
    const res = await sendBody(app.baseUrl, '/api/v1/cases', { bytes: 2 * MiB, declareOnly: true });
    expect(res.status).toBe(413);
  });

  it('cuts a chunked 2 MiB body off at the limit (no Content-Length to trust)', async () => {
    const before = await count(db, 'case_file');
    const res = await sendBody(app.baseUrl, '/api/v1/cases', { bytes: 2 * MiB, chunked: true });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
    expect(await count(db, 'case_file')).toBe(before);
  });

  it('refuses the body before any guard or handler: a staff-only action answers 413, not 401', async () => {
    const res = await sendBody(app.baseUrl, `/api/v1/cases/${randomUUID()}/comment`, { bytes: 2 * MiB });
    expect(res.status).toBe(413);
    const login = await sendBody(app.baseUrl, '/api/v1/auth/login', { bytes: 2 * MiB, chunked: true });
    expect(login.status).toBe(413);
  });

  it('limits Open311 forms the same way', async () => {
    const res = await sendBody(app.baseUrl, '/open311/v2/requests.json', { bytes: 2 * MiB, form: true });
    expect(res.status).toBe(413);
  });

  it('still reads a report under the limit', async () => {
    const res = await sendBody(app.baseUrl, '/api/v1/cases', { bytes: 64 * 1024 });
    // Past the parser: the DTO's own checks answer (a report needs a category and a place).
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_input' });
  });

  it('gives the import its own limit for admins only', async () => {
    const admin = await app.bearer('admin');
    const asAdmin = await sendBody(app.baseUrl, '/api/v1/admin/import', { bytes: 2 * MiB, headers: { authorization: admin } });
    expect(asAdmin.status).toBe(400);
    const asAdminChunked = await sendBody(app.baseUrl, '/api/v1/admin/import', { bytes: 2 * MiB, chunked: true, headers: { authorization: admin } });
    expect(asAdminChunked.status).toBe(400);
    const tooLarge = await sendBody(app.baseUrl, '/api/v1/admin/import', { bytes: 9 * MiB, headers: { authorization: admin } });
    expect(tooLarge.status).toBe(413);
    const anonymous = await sendBody(app.baseUrl, '/api/v1/admin/import', { bytes: 2 * MiB });
    expect(anonymous.status).toBe(413);
    const operator = await sendBody(app.baseUrl, '/api/v1/admin/import', { bytes: 2 * MiB, headers: { authorization: await app.bearer('operator') } });
    expect(operator.status).toBe(413);
  });
});
