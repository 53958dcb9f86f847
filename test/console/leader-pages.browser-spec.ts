import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Client } from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '@wangge/database';
import { seedHistory } from '@wangge/demo';
import { recordAppealHistory } from '@wangge/evaluation';
import { api, pointInWardenCell, withDb } from '../support/cases';
import { craftCase, departmentLoop } from '../bulletins/crafted-cases';
import { craftFieldHistory } from '../support/field-history';
import { SHOTS, startAdminBrowser, type AdminBrowser } from './support/admin-browser';

/**
 * The leaders' pages (issue 19 items 2, 3, 5) in Chromium, on a demo district with days of history:
 * the evaluation page shows what GET /evaluation answers; a bulletin generated now downloads as an
 * XLSX exceljs reads; the trends are drawn by ECharts under the console's CSP; a chief's extension
 * request and overdue appeal go from the phone to the leader's "awaiting me" and back.
 */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe('the leaders pages', () => {
  let b: AdminBrowser;
  let dir: string;
  const csp: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wangge-leader-pages-'));
    b = await startAdminBrowser('leader-pages');
    const ds = createDataSource({ url: b.intake.databaseUrl, poolSize: 2 });
    await ds.initialize();
    try {
      await seedHistory(ds, { days: 10, seed: 3, config: b.intake.config, recordAppeals: recordAppealHistory });
    } finally {
      await ds.destroy();
    }
  }, 300_000);

  afterAll(async () => {
    await b?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A page of `user` at `path`, whose CSP violations are kept. */
  async function open(user: string, path: string, context?: Parameters<AdminBrowser['open']>[2]): Promise<Page> {
    const page = await b.open(user, path, context);
    page.on('console', (m) => m.text().includes('Content Security Policy') && csp.push(m.text()));
    return page;
  }

  /** An API answer read with the page's own session (the same token the page uses). */
  async function apiOf<T>(page: Page, path: string): Promise<T> {
    return page.evaluate(async (p) => {
      const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
      const s = JSON.parse(storage.getItem('wangge.session')!) as { accessToken: string };
      const res = await fetch(p, { headers: { authorization: `Bearer ${s.accessToken}` } });
      if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return res.json();
    }, path) as Promise<T>;
  }

  interface Row {
    group: { id: string };
    rank: number;
    score: number | null;
    counts: { reported: number; closed: number; overdueOpen: number };
  }

  async function rankingOnPage(page: Page) {
    return page.$$eval('[data-testid=ranking] tbody tr[data-group-id]', (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-group-id'),
        rank: Number(tr.getAttribute('data-rank')),
        score: tr.getAttribute('data-score') === '' ? null : Number(tr.getAttribute('data-score')),
        reported: Number(tr.getAttribute('data-reported')),
        closed: Number(tr.getAttribute('data-closed')),
        overdueOpen: Number(tr.getAttribute('data-overdue-open')),
      })),
    );
  }
  const fromApi = (rows: Row[]) =>
    rows.map((r) => ({ id: r.group.id, rank: r.rank, score: r.score, reported: r.counts.reported, closed: r.counts.closed, overdueOpen: r.counts.overdueOpen }));

  it('the leader lands on "awaiting me", with the nav to the evaluation, trends and bulletins', async () => {
    const page = await open('leader', '/');
    await page.waitForURL('**/approvals');
    for (const nav of ['nav-approvals', 'nav-command', 'nav-evaluation', 'nav-trends', 'nav-bulletins']) {
      await expect.poll(() => page.locator(`[data-testid=${nav}]`).count()).toBe(1);
    }
    await page.click('[data-testid=nav-evaluation]');
    await page.waitForSelector('[data-testid=evaluation-page]');
  }, 120_000);

  it('the evaluation page shows the numbers of GET /evaluation for its period, by chief and by street; a row drills down to its cases', async () => {
    const page = await open('leader', '/evaluation');
    await page.waitForSelector('[data-testid=ranking] tbody tr[data-group-id]', { timeout: 60_000 });
    const from = await page.inputValue('input[name=from]');
    const to = await page.inputValue('input[name=to]');
    for (const groupBy of ['chief', 'street']) {
      await page.selectOption('select[name=groupBy]', groupBy);
      const report = await apiOf<{ rows: Row[]; formula: { version: number }; totals: { counts: { reported: number } } }>(
        page,
        `/api/v1/evaluation?from=${from}&to=${to}&groupBy=${groupBy}`,
      );
      expect(report.rows.length).toBeGreaterThan(0);
      await expect.poll(() => rankingOnPage(page), { timeout: 30_000 }).toEqual(fromApi(report.rows));
      expect(Number(await page.getAttribute('[data-testid=totals]', 'data-reported'))).toBe(report.totals.counts.reported);
      expect(await page.textContent('[data-testid=formula-used]')).toContain(`v${report.formula.version}`);
    }
    // The change since the previous period of the same length is shown on every row.
    expect(await page.locator('[data-testid=ranking] tbody tr[data-group-id] [data-testid=change]').count()).toBeGreaterThan(0);
    // Drill-down: the busiest street's cases reported in the period.
    await page.click('[data-testid=ranking] tbody tr[data-group-id] >> nth=0');
    await expect.poll(() => page.locator('[data-testid=drill-down] li[data-case-id]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const street = await page.getAttribute('[data-testid=drill-down]', 'data-group-id');
    const cases = await apiOf<{ items: { street: { code: string } }[] }>(page, `/api/v1/cases?street=${street}&limit=5`);
    expect(cases.items.every((c) => c.street.code === street)).toBe(true);
    await page.selectOption('select[name=groupBy]', 'chief');
    await page.waitForSelector('[data-testid=ranking] tbody tr[data-group-id]');
    await b.shot(page, 'evaluation');

    // A chief sees their own row only (their rank among all chiefs).
    const chief = await open('chief3', '/evaluation');
    await chief.waitForSelector('[data-testid=evaluation-page]');
    const own = await apiOf<{ rows: Row[] }>(chief, `/api/v1/evaluation?from=${from}&to=${to}&groupBy=chief`);
    expect(own.rows.length).toBeLessThanOrEqual(1);
    await expect.poll(() => rankingOnPage(chief), { timeout: 30_000 }).toEqual(fromApi(own.rows));
  }, 180_000);

  it('a leader generates a daily summary now, reads it in the page (the departments ranked too) and downloads it as an XLSX that exceljs reads back', async () => {
    const page = await open('leader', '/bulletins');
    await page.waitForSelector('[data-testid=generate-bulletin]');
    const day = await page.inputValue('input[name=day]');
    // Two departments with a case each that day (the history predates them): the gas company on time, the bureau late.
    const admin = await b.intake.bearer('admin');
    const departments = [
      { code: 'GAS', name: '燃气公司', category: 'E0403', resolveAfterH: 1 },
      { code: 'CITY', name: '市政局', category: 'E0601', resolveAfterH: 3 },
    ];
    for (const [i, d] of departments.entries()) {
      expect((await api(b.intake).post('/api/v1/admin/departments', { code: d.code, name: d.name, categoryCodes: [d.category] }, admin)).status).toBe(201);
      const t0 = new Date(`${day}T09:00:00+08:00`);
      const l = departmentLoop(t0, d, d.resolveAfterH);
      await withDb(b.intake.databaseUrl, async (db) =>
        craftCase(db, { ...(await pointInWardenCell(db, 'warden1', 5 + i)), category: d.category, status: l.status, createdAt: t0, closedAt: l.closedAt, assigneeDepartmentCode: d.code, deadlineAt: l.deadlineAt, overdue: l.overdue, events: l.events }),
      );
    }
    await page.click('[data-testid=generate-bulletin] button[type=submit]');
    await page.waitForSelector(`[data-testid=bulletin][data-kind=daily][data-period="${day}"] [data-testid=bulletin-totals]`, { timeout: 60_000 });
    const doc = await apiOf<{
      totals: { counts: { reported: number; closed: number } };
      chiefs: { name: string; rank: number }[];
      departments: { id: string; name: string; rank: number; counts: { closed: number; overdueOpen: number } }[];
    }>(page, `/api/v1/bulletins/daily/${day}`);
    expect(Number(await page.textContent('[data-testid=bulletin-totals] [data-key=reported]'))).toBe(doc.totals.counts.reported);
    expect(Number(await page.textContent('[data-testid=bulletin-totals] [data-key=closed]'))).toBe(doc.totals.counts.closed);
    expect(await page.locator('[data-testid=bulletin-chiefs] tbody tr').count()).toBe(Math.min(20, doc.chiefs.length));
    // The departments' ranking: the document's rows, in its order (rank, name, closed, overdue open).
    expect(doc.departments.map((d) => [d.id, d.rank])).toEqual([
      ['GAS', 1],
      ['CITY', 2],
    ]);
    const departmentRows = await page.$$eval('[data-testid=bulletin-departments] tbody tr[data-group-id]', (trs) =>
      trs.map((tr) => {
        const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
        return { id: tr.getAttribute('data-group-id'), rank: Number(cells[0]), name: cells[2], closed: Number(cells[4]), overdueOpen: Number(cells[6]) };
      }),
    );
    expect(departmentRows).toEqual(doc.departments.map((d) => ({ id: d.id, rank: d.rank, name: d.name, closed: d.counts.closed, overdueOpen: d.counts.overdueOpen })));
    await b.shot(page, 'bulletins');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=bulletin] [data-download=xlsx]')]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^bulletin-daily-${day}-r\\d+\\.xlsx$`));
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((s) => s.name)).toContain('路长 Chiefs');
    expect(book.getWorksheet('部门 Departments')?.rowCount).toBe(doc.departments.length + 1);
    const sheet = book.getWorksheet('路长 Chiefs')!;
    expect(sheet.rowCount).toBe(doc.chiefs.length + 1);
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    doc.chiefs.slice(0, 5).forEach((c, i) => {
      expect(sheet.getRow(i + 2).getCell(header.indexOf('路长\nRoad chief') + 1).value).toBe(c.name);
      expect(sheet.getRow(i + 2).getCell(header.indexOf('排名\nRank') + 1).value).toBe(c.rank);
    });
    for (const ext of ['csv', 'html']) {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=bulletin] [data-download=${ext}]`)]);
      expect(d.suggestedFilename()).toMatch(new RegExp(`\\.${ext}$`));
    }
  }, 180_000);

  it('the evaluation page shows inspections and milestones per person, street, owner and campaign as their APIs answer, with the field formula version', async () => {
    const page = await open('leader', '/evaluation');
    await page.waitForSelector('[data-testid=field-evaluation]', { timeout: 60_000 });
    const from = await page.inputValue('input[name=from]');
    const to = await page.inputValue('input[name=to]');
    await withDb(b.intake.databaseUrl, (c) => craftFieldHistory(async (sql, params) => (await c.query(sql, params)).rows, from, 6));
    await page.reload();
    await page.waitForSelector('[data-testid=inspection-ranking] tbody tr[data-group-id]', { timeout: 60_000 });
    const rowsOn = (table: string, count: string) =>
      page.$$eval(`[data-testid=${table}] tbody tr[data-group-id]`, (trs, attr) => trs.map((tr) => [tr.getAttribute('data-group-id'), Number(tr.getAttribute('data-rank')), Number(tr.getAttribute('data-due')), Number(tr.getAttribute(attr))]), count);
    for (const groupBy of ['person', 'street']) {
      await page.selectOption('select[name=inspectionGroup]', groupBy);
      const api = await apiOf<{ formula: { version: number }; rows: { key: string; rank: number; due: number; onTime: number }[]; totals: { due: number } }>(page, `/api/v1/inspections/evaluation?from=${from}&to=${to}&groupBy=${groupBy}`);
      expect(api.rows.length).toBeGreaterThan(0);
      await expect.poll(() => rowsOn('inspection-ranking', 'data-on-time'), { timeout: 30_000 }).toEqual(api.rows.map((r) => [r.key, r.rank, r.due, r.onTime]));
      expect(Number(await page.getAttribute('[data-testid=inspection-totals]', 'data-due'))).toBe(api.totals.due);
      expect(await page.textContent('[data-testid=inspection-formula]')).toContain(`v${api.formula.version}`);
    }
    for (const groupBy of ['owner', 'street', 'campaign']) {
      await page.selectOption('select[name=milestoneGroup]', groupBy);
      const api = await apiOf<{ formula: { version: number }; rows: { group: { id: string }; rank: number; due: number; metOnTime: number }[] }>(page, `/api/v1/campaigns/evaluation?from=${from}&to=${to}&groupBy=${groupBy}`);
      expect(api.rows.length).toBeGreaterThan(0);
      await expect.poll(() => rowsOn('milestone-ranking', 'data-met-on-time'), { timeout: 30_000 }).toEqual(api.rows.map((r) => [r.group.id, r.rank, r.due, r.metOnTime]));
      expect(await page.textContent('[data-testid=milestone-formula]')).toContain(`v${api.formula.version}`);
    }
    await page.selectOption('select[name=inspectionGroup]', 'person');
    await page.selectOption('select[name=milestoneGroup]', 'owner');
    // The section alone (the whole page is the chiefs' ranking above it).
    await page.locator('[data-testid=field-evaluation]').screenshot({ path: join(SHOTS, 'evaluation-field.png') });
  });

  it('the trends are drawn by ECharts (SVG) with the totals of GET /evaluation/trends, under the console CSP', async () => {
    const page = await open('leader', '/trends');
    await page.waitForSelector('[data-testid=trend-totals]', { timeout: 60_000 });
    // ECharts drew its axes and series as SVG paths (the chunk loaded, nothing refused by the CSP).
    await expect.poll(() => page.locator('[data-testid=chart-counts] svg path').count(), { timeout: 30_000 }).toBeGreaterThan(10);
    await expect.poll(() => page.locator('[data-testid=chart-handling] svg path').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    const from = await page.inputValue('input[name=from]');
    const to = await page.inputValue('input[name=to]');
    const trends = await apiOf<{ days: unknown[]; totals: { reported: number; closed: number; overdue: number } }>(page, `/api/v1/evaluation/trends?from=${from}&to=${to}`);
    expect(trends.totals.reported).toBeGreaterThan(0);
    expect(Number(await page.getAttribute('[data-testid=trend-totals]', 'data-reported'))).toBe(trends.totals.reported);
    expect(Number(await page.getAttribute('[data-testid=trend-totals]', 'data-overdue'))).toBe(trends.totals.overdue);
    await b.shot(page, 'trends');
    expect(csp).toEqual([]);
  }, 120_000);

  it('extension and appeal round trips: the chief asks on the phone, the leader decides from "awaiting me" and from the case drawer', async () => {
    const { ext, overdue } = await withDb(b.intake.databaseUrl, async (db: Client) => {
      const base = `SELECT c.id, c.code, u.username FROM case_file c JOIN road_chief rc ON rc.id = c.assignee_chief_id JOIN app_user u ON u.id = rc.user_id
                    WHERE c.status = 'in_progress' AND c.extension_requested_hours IS NULL AND NOT EXISTS (SELECT 1 FROM appeal a WHERE a.case_id = c.id)`;
      const e = (await db.query(`${base} AND c.extension_count = 0 AND c.deadline_at > now() + interval '2 hours' AND NOT c.overdue ORDER BY c.code LIMIT 1`)).rows[0];
      const o = (await db.query(`${base} AND c.overdue ORDER BY c.code LIMIT 1`)).rows[0];
      return { ext: e as { id: string; code: string; username: string }, overdue: o as { id: string; code: string; username: string } };
    });
    expect(ext, 'an in-progress case with time left').toBeTruthy();
    expect(overdue, 'an overdue in-progress case').toBeTruthy();

    // The chief asks for 8 more hours on the phone.
    const phone = await open(ext.username, '/chief', { context: PHONE });
    const card = phone.locator(`li[data-case-id="${ext.id}"]`);
    await card.locator('[data-action=extend]').click({ timeout: 30_000 });
    await card.locator('input[name=hours]').fill('8');
    await card.locator('textarea[name=reason]').fill('等待材料 waiting for parts');
    await card.locator('form[data-form=extend] button[type=submit]').click();
    await card.locator('[data-testid=extension-asked]').waitFor();
    const asked = await apiOf<{ deadlineAt: string; extensionRequestedHours: number }>(phone, `/api/v1/cases/${ext.id}`);
    expect(asked.extensionRequestedHours).toBe(8);

    // The chief appeals the overdue mark of another case (maybe another chief's phone).
    const phone2 = overdue.username === ext.username ? phone : await open(overdue.username, '/chief', { context: PHONE });
    const late = phone2.locator(`li[data-case-id="${overdue.id}"]`);
    await late.locator('[data-action=appeal]').click({ timeout: 30_000 });
    await late.locator('textarea[name=reason]').fill('暴雨停工 storm stopped the works');
    await late.locator('form[data-form=appeal] button[type=submit]').click();
    await late.locator('[data-testid=appeal-status][data-status=pending]').waitFor();
    await b.shot(phone2, 'approvals-chief-phone');

    // The leader sees both waiting, approves the extension.
    const leader = await open('leader', '/approvals');
    const request = leader.locator(`[data-testid=extension-requests] li[data-case-id="${ext.id}"]`);
    await request.waitFor({ timeout: 30_000 });
    await leader.locator(`[data-testid=pending-appeals] [data-case-id="${overdue.id}"]`).waitFor();
    await b.shot(leader, 'approvals');
    await request.locator('[data-decide=approve]').click();
    await request.waitFor({ state: 'detached' });
    const granted = await apiOf<{ deadlineAt: string; extensionCount: number; extensionRequestedHours: number | null }>(leader, `/api/v1/cases/${ext.id}`);
    expect(granted).toMatchObject({ extensionCount: 1, extensionRequestedHours: null });
    expect(new Date(granted.deadlineAt).getTime()).toBeGreaterThan(new Date(asked.deadlineAt).getTime());

    // The chief's phone shows no request pending; they ask again, and the leader refuses it from the case drawer.
    await phone.reload();
    await card.locator('[data-action=extend]').click({ timeout: 30_000 });
    await card.locator('textarea[name=reason]').fill('还需要时间 still need time');
    await card.locator('form[data-form=extend] button[type=submit]').click();
    await card.locator('[data-testid=extension-asked]').waitFor();
    await leader.reload();
    await leader.locator(`[data-testid=extension-requests] li[data-case-id="${ext.id}"] button.link`).click();
    const drawer = leader.locator('[data-testid=case-drawer]');
    await drawer.locator('[data-testid=extension-decision] textarea[name=note]').fill('材料已到 parts are in stock');
    await drawer.locator('[data-testid=extension-decision] [data-decide=refuse]').click();
    await expect
      .poll(async () => (await apiOf<{ timeline: { type: string }[] }>(leader, `/api/v1/cases/${ext.id}`)).timeline.at(-1)?.type, { timeout: 15_000 })
      .toBe('case.extension_refused');
    await phone.reload();
    await card.locator('[data-action=extend]').waitFor({ timeout: 30_000 });

    // The leader approves the appeal; the chief's phone shows it approved.
    await leader.locator('[data-testid=case-drawer] button.close').click();
    await leader.locator(`[data-testid=pending-appeals] [data-case-id="${overdue.id}"] [data-decide=approve]`).click();
    await leader.locator(`[data-testid=pending-appeals] [data-case-id="${overdue.id}"]`).waitFor({ state: 'detached' });
    await phone2.reload();
    await phone2.locator(`li[data-case-id="${overdue.id}"] [data-testid=appeal-status][data-status=approved]`).waitFor({ timeout: 30_000 });
    expect(b.errors).toEqual([]);
    expect(csp).toEqual([]);
  }, 300_000);
});
