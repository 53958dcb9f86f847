import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/cases';
import { startAdminBrowser, type AdminBrowser } from './support/admin-browser';

describe('the console: notification channels for admins, my notifications for everyone (Chromium)', () => {
  let b: AdminBrowser;

  beforeAll(async () => {
    b = await startAdminBrowser('notifications');
    await withDb(b.intake.databaseUrl, async (db) => {
      // A dead letter of a robot that refused, and two entries in chief1's inbox.
      const [channel] = (
        await db.query(
          `INSERT INTO notification_channel (kind, name, target, events) VALUES ('wecom', '市政值班群', 'http://127.0.0.1:9/robot?key=abc', '{task.assigned}') RETURNING id`,
        )
      ).rows as { id: string }[];
      const [n] = (
        await db.query(
          `INSERT INTO notification (event, subject, at, recipients) SELECT 'task.assigned', '{"title":"新任务 / New task","caseCode":"GC-20261207-0001","caseId":"00000000-0000-0000-0000-000000000001"}', now(), ARRAY[id] FROM app_user WHERE username = 'chief1' RETURNING id`,
        )
      ).rows as { id: string }[];
      await db.query(
        `INSERT INTO notification_delivery (notification_id, channel_id, kind, target, status, attempts, last_error, not_before) VALUES ($1, $2, 'wecom', 'http://127.0.0.1:9/robot?key=abc', 'dead', 10, 'connect ECONNREFUSED 127.0.0.1:9', now())`,
        [n.id, channel.id],
      );
      await db.query(
        `INSERT INTO notification_delivery (notification_id, user_id, kind, target, status, not_before, sent_at) SELECT $1, id, 'inbox', id::text, 'sent', now(), now() FROM app_user WHERE username = 'chief1'`,
        [n.id],
      );
    });
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('an admin adds a channel, sends a test, sees the dead letters and retries one', async () => {
    const page = await b.open('admin', '/admin/notifications');
    const channels = page.locator('[data-testid=channels-table] tbody tr');
    await expect.poll(() => channels.count()).toBe(1);
    expect(await page.locator('[data-testid=channels-table]').textContent()).toContain('key=***');

    await page.fill('input[name=name]', '值班 webhook');
    await page.fill('input[name=target]', 'https://hooks.example.cn/wangge');
    await page.check('input[name="event-case.supervised"]');
    await page.click('[data-testid=channel-form] button[type=submit]');
    await expect.poll(() => page.locator('[data-testid=channel-form] + p, .error').first().textContent().catch(() => '')).toMatch(/secret/);
    await page.fill('input[name=secret]', 'a-secret-for-signing');
    await page.click('[data-testid=channel-form] button[type=submit]');
    await expect.poll(() => channels.count()).toBe(2);

    await page.locator('[data-testid^=channel-test-]').last().click();
    await expect.poll(() => page.locator('[data-testid=channel-notice]').textContent()).toContain('值班 webhook');

    await page.selectOption('[data-testid=deliveries] select[name=status]', 'dead');
    const dead = page.locator('[data-testid=deliveries-table] tbody tr');
    await expect.poll(() => dead.count()).toBe(1);
    expect(await dead.first().textContent()).toContain('ECONNREFUSED');
    await b.shot(page, 'admin-notifications');
    await dead.first().locator('button[data-testid^=retry-]').click();
    await expect.poll(() => page.locator('[data-testid=deliveries] p.muted').textContent().catch(() => '')).toBe('没有投递记录');

    await page.click('[data-testid=lang]');
    await expect.poll(() => page.locator('[data-testid=admin-tab-notifications]').textContent()).toBe('Notifications');
    expect(b.errors).toEqual([]);
  });

  it('a chief reads my notifications and sets email and quiet hours', async () => {
    const page = await b.open('chief1', '/notifications');
    const items = page.locator('[data-testid=my-notifications-list] li');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().textContent()).toContain('GC-20261207-0001');
    await page.fill('input[name=email]', 'chief1@example.cn');
    await page.check('input[name=quiet]');
    await page.fill('input[name=quietFrom]', '22:00');
    await page.fill('input[name=quietTo]', '07:00');
    await page.click('[data-testid=notification-preferences] button[type=submit]');
    await expect.poll(() => page.locator('[data-testid=preferences-saved]').count()).toBe(1);
    await b.shot(page, 'my-notifications');
    const saved = await withDb(b.intake.databaseUrl, (db) =>
      db.query(`SELECT p.email, p.quiet_from, p.quiet_to FROM notification_preference p JOIN app_user u ON u.id = p.user_id WHERE u.username = 'chief1'`),
    );
    expect(saved.rows[0]).toEqual({ email: 'chief1@example.cn', quiet_from: '22:00', quiet_to: '07:00' });
    await page.click('[data-testid=lang]');
    await expect.poll(() => page.locator('[data-testid=nav-notifications]').textContent()).toBe('My notifications');
    expect(b.errors).toEqual([]);
  });
});
