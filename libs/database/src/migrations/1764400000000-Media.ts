import { MigrationInterface, QueryRunner } from 'typeorm';

/** Photos uploaded as evidence: checked by content, GPS stripped, stored behind a storage interface. */
export class Media1764400000000 implements MigrationInterface {
  name = 'Media1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE media (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        storage_key text NOT NULL UNIQUE,
        content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
        bytes integer NOT NULL CHECK (bytes > 0),
        width integer CHECK (width > 0),
        height integer CHECK (height > 0),
        sha256 char(64) NOT NULL,
        uploaded_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX media_created_idx ON media (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE media`);
  }
}
