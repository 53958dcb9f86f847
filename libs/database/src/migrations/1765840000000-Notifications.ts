import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications that reach people (issue 18 item 3, domain.md 9; owner: libs/notifications):
 * channels an admin sets up (webhook, WeCom and DingTalk robots, email), each person's preferences
 * (events, quiet hours, email address), the notifications producers raise, and one delivery row per
 * notification and destination with its status (pending, sent, failed: waiting for its next
 * attempt, dead: out of attempts), attempts (`retry_base`: the attempts made before an admin's retry, which gives a dead delivery its attempts again) and last error. The watermark is the last case event
 * the case-event notifier has turned into notifications.
 */
export class Notifications1765840000000 implements MigrationInterface {
  name = 'Notifications1765840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_channel (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('webhook', 'wecom', 'dingtalk', 'email')),
        name text NOT NULL,
        target text NOT NULL,
        events text[] NOT NULL,
        street_code varchar(9),
        secret text,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE notification_preference (
        user_id uuid PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
        events text[] NOT NULL,
        email text,
        quiet_from char(5),
        quiet_to char(5),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((quiet_from IS NULL) = (quiet_to IS NULL))
      )`);
    await q.query(`
      CREATE TABLE notification (
        id bigserial PRIMARY KEY,
        event text NOT NULL,
        street_code varchar(9),
        recipients uuid[] NOT NULL DEFAULT '{}',
        subject jsonb NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE notification_delivery (
        id bigserial PRIMARY KEY,
        notification_id bigint NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
        channel_id uuid REFERENCES notification_channel (id) ON DELETE SET NULL,
        user_id uuid REFERENCES app_user (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('webhook', 'wecom', 'dingtalk', 'email', 'inbox')),
        target text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        retry_base integer NOT NULL DEFAULT 0,
        claimed_until timestamptz,
        last_error text,
        not_before timestamptz NOT NULL,
        sent_at timestamptz,
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One delivery per notification and destination: a fan-out run twice writes nothing new.
    await q.query(`CREATE UNIQUE INDEX notification_delivery_once ON notification_delivery (notification_id, kind, target)`);
    await q.query(`CREATE INDEX notification_delivery_status_idx ON notification_delivery (status, id DESC)`);
    await q.query(`CREATE INDEX notification_delivery_user_idx ON notification_delivery (user_id, id DESC) WHERE kind = 'inbox'`);
    await q.query(`CREATE TABLE notification_watermark (id smallint PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_watermark`);
    await q.query(`DROP TABLE notification_delivery`);
    await q.query(`DROP TABLE notification`);
    await q.query(`DROP TABLE notification_preference`);
    await q.query(`DROP TABLE notification_channel`);
  }
}
