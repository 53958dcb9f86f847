import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Places, checklists and inspections (domain.md section 8, issue 17), owned by libs/places:
 * - `place`: a site, market, checkpoint, enterprise… as a point or polygon, with the grid cell,
 *   community and street of its representative point (where it is routed and who sees it) and the
 *   road chief routing names there (the chief who sees it).
 * - `checklist`: versioned; a changed list is a new row (name, version + 1); rows are frozen by
 *   trigger, so an inspection keeps the version it was made against.
 * - `inspection`: one on-site check, item by item, with where it was made and whether off-site;
 *   one per (inspector, Idempotency-Key).
 * - `place_case`: each case a failed item opened, linked to its place and inspection (the place is
 *   non-compliant while one of them is open).
 * Reference data: the three checklists that ship with the catalogue, and the catalogue categories
 * their items open that the standard catalogue lacked before (written into a catalogue that already
 * has rows; an empty one gets them from the standard catalogue at setup).
 */
export class Places1765760000000 implements MigrationInterface {
  name = 'Places1765760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE place (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('site', 'market', 'checkpoint', 'enterprise', 'other')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        geom geometry(Geometry, 4326) NOT NULL CHECK (GeometryType(geom) IN ('POINT', 'POLYGON')),
        point geometry(Point, 4326) NOT NULL,
        address text,
        owner_name text,
        owner_phone text,
        responsible_id uuid REFERENCES app_user (id),
        grid_cell_code text NOT NULL,
        community_code text NOT NULL,
        street_code text NOT NULL,
        chief_id int,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX place_geom ON place USING gist (geom)`);
    await q.query(`CREATE INDEX place_street ON place (street_code)`);
    await q.query(`CREATE INDEX place_cell ON place (grid_cell_code)`);

    await q.query(`
      CREATE TABLE checklist (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        name_en text,
        version int NOT NULL CHECK (version >= 1),
        items jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array' AND jsonb_array_length(items) > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (name, version)
      )`);
    await q.query(`
      CREATE FUNCTION checklist_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'checklist % is frozen: add a new version instead', OLD.id;
      END $$`);
    await q.query(`CREATE TRIGGER checklist_frozen BEFORE UPDATE OR DELETE ON checklist FOR EACH ROW EXECUTE FUNCTION checklist_frozen()`);

    await q.query(`
      CREATE TABLE inspection (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        place_id uuid NOT NULL REFERENCES place (id),
        checklist_id uuid NOT NULL REFERENCES checklist (id),
        plan_id uuid,
        inspector_id uuid NOT NULL REFERENCES app_user (id),
        location geometry(Point, 4326) NOT NULL,
        distance_m numeric NOT NULL,
        off_site boolean NOT NULL,
        results jsonb NOT NULL,
        failed int NOT NULL,
        idempotency_key text,
        request_hash text,
        created_at timestamptz NOT NULL,
        UNIQUE (inspector_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX inspection_place ON inspection (place_id, created_at DESC)`);
    await q.query(`CREATE INDEX inspection_inspector ON inspection (inspector_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE place_case (
        case_id uuid PRIMARY KEY,
        place_id uuid NOT NULL REFERENCES place (id),
        inspection_id uuid NOT NULL REFERENCES inspection (id),
        item_code text NOT NULL,
        UNIQUE (inspection_id, item_code)
      )`);
    await q.query(`CREATE INDEX place_case_place ON place_case (place_id)`);

    await q.query(
      `INSERT INTO category (code, kind, major_code, major_name, major_name_en, minor_code, name, name_en, auto_register)
       SELECT c.code, 'event', c.major, m.major_name, m.major_name_en, c.minor, c.name, c.name_en, true
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS c(code, major, minor, name, name_en)
         JOIN LATERAL (SELECT major_name, major_name_en FROM category WHERE kind = 'event' AND major_code = c.major LIMIT 1) m ON true
       ON CONFLICT (code) DO NOTHING`,
      [
        NEW_CATEGORIES.map((c) => c.code),
        NEW_CATEGORIES.map((c) => c.code.slice(1, 3)),
        NEW_CATEGORIES.map((c) => c.code.slice(3, 5)),
        NEW_CATEGORIES.map((c) => c.name),
        NEW_CATEGORIES.map((c) => c.nameEn),
      ],
    );
    for (const c of NEW_CATEGORIES) {
      await q.query(
        `INSERT INTO category_standard (category_code, version, condition_no, condition, condition_en, time_limit_value, clock_type,
                                        closing_condition, closing_condition_en, effective_from)
         SELECT $1::varchar, 1, 1, $2, $3, $4, $5, $6, $7, '2026-01-01'::date
          WHERE EXISTS (SELECT 1 FROM category WHERE code = $1::varchar)
            AND NOT EXISTS (SELECT 1 FROM category_standard WHERE category_code = $1::varchar)`,
        [c.code, c.condition[0], c.condition[1], c.limit, c.clock, c.closing[0], c.closing[1]],
      );
    }
    for (const list of CHECKLISTS) {
      await q.query(`INSERT INTO checklist (name, name_en, version, items) VALUES ($1, $2, 1, $3)`, [list.name, list.nameEn, JSON.stringify(list.items)]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE place_case`);
    await q.query(`DROP TABLE inspection`);
    await q.query(`DROP TRIGGER checklist_frozen ON checklist`);
    await q.query(`DROP TABLE checklist`);
    await q.query(`DROP FUNCTION checklist_frozen()`);
    await q.query(`DROP TABLE place`);
  }
}

/** As the standard catalogue (libs/catalogue) has them since this migration. */
const NEW_CATEGORIES = [
  {
    code: 'E0306', name: '渣土车未密闭运输', nameEn: 'Muck truck not sealed', limit: 2, clock: 'urgent_hours',
    condition: ['渣土车未密闭、带泥上路或沿途撒漏', 'A muck truck runs unsealed, muddy or spilling'],
    closing: ['车辆已密闭，撒漏已清理', 'the truck is sealed and the spill cleaned'],
  },
  {
    code: 'E0307', name: '扬尘监测监控缺失', nameEn: 'Dust monitor or camera missing', limit: 3, clock: 'work_days',
    condition: ['工地未安装或未运行扬尘在线监测、视频监控', 'A site has no working online dust monitor or video camera'],
    closing: ['监测和监控设备运行并联网', 'the monitor and camera run and report'],
  },
  {
    code: 'E0308', name: '非道路移动机械不达标', nameEn: 'Non-road machinery not compliant', limit: 3, clock: 'work_days',
    condition: ['非道路移动机械未登记或排放超标', 'Non-road mobile machinery unregistered or over its emission limit'],
    closing: ['机械已登记并达标或已撤场', 'the machine is registered and compliant, or gone'],
  },
  {
    code: 'E0512', name: '卡点值守不到位', nameEn: 'Checkpoint not staffed', limit: 1, clock: 'urgent_hours',
    condition: ['卡点值守人员脱岗或勤务保障不到位', 'A checkpoint is left unstaffed or without its duty support'],
    closing: ['人员到岗，勤务保障到位', 'staff are on post with their support'],
  },
  {
    code: 'E0513', name: '重型货车违规通行', nameEn: 'Heavy truck not diverted', limit: 1, clock: 'urgent_hours',
    condition: ['重型货车未按规定绕行通过卡点', 'A heavy truck passes the checkpoint instead of taking the diversion'],
    closing: ['车辆已劝离绕行', 'the truck has been turned to the diversion'],
  },
];

const item = (code: string, text: string, textEn: string, categoryCode: string, photoRequired = true) => ({ code, text, textEn, categoryCode, photoRequired });

/** The checklists that ship with the catalogue (version 1 each). */
const CHECKLISTS = [
  {
    name: '工地"8个100%"',
    nameEn: 'Construction site "8 x 100%"',
    items: [
      item('hoarding', '施工现场100%围挡', 'Site 100% hoarded', 'E0304'),
      item('cover', '物料堆放100%覆盖', 'Materials 100% covered', 'E0302'),
      item('washing', '出入车辆100%冲洗', 'Vehicles leaving 100% washed', 'E0302'),
      item('hardened', '施工现场地面100%硬化', 'Site ground 100% hardened', 'E0302'),
      item('wet-work', '拆迁工地100%湿法作业', 'Demolition 100% wet work', 'E0302'),
      item('muck-trucks', '渣土车辆100%密闭运输', 'Muck trucks 100% sealed', 'E0306'),
      item('monitoring', '在线监测和视频监控100%安装', 'Online monitoring and video 100% installed', 'E0307'),
      item('machinery', '非道路移动机械100%达标', 'Non-road machinery 100% compliant', 'E0308'),
    ],
  },
  {
    name: '卡点值守',
    nameEn: 'Checkpoint duty',
    items: [
      item('staffed', '值守人员在岗在位', 'Duty staff on post', 'E0512'),
      item('support', '勤务保障到位（警示标志、照明、执勤装备）', 'Duty support in place (signs, lights, equipment)', 'E0512', false),
      item('diversion', '重型货车按规定绕行', 'Heavy trucks take the diversion', 'E0513'),
    ],
  },
  {
    name: '市场巡查',
    nameEn: 'Market patrol',
    items: [
      item('inside', '商户店内经营，无出店经营', 'Trade inside the shops, none outside', 'E0504'),
      item('no-vendors', '周边无占道经营游商', 'No vendors on the road around', 'E0501'),
      item('no-piles', '无乱堆物堆料', 'No goods or materials piled up', 'E0507'),
      item('clean', '无暴露垃圾', 'No garbage lying about', 'E0102', false),
      item('parking', '车辆停放有序', 'Vehicles parked in order', 'E0505', false),
    ],
  },
];
