import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CaseStatus } from '@wangge/domain';
import { trackingTokenHash } from '@wangge/events';
import { publicPhotoSql } from './public-photos.sql';

/** A case as the public may read it (Open311): public columns only, nothing of the reporter. */
export interface PublicCaseRow {
  id: string;
  code: string;
  status: CaseStatus;
  category_code: string;
  category_name: string;
  category_name_en: string;
  description: string;
  address: string | null;
  grid_cell_code: string;
  lng: number;
  lat: number;
  assignee_level: number | null;
  deadline_at: Date | null;
  overdue: boolean;
  public_note: string | null;
  merged_into_code: string | null;
  media_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Which public cases: by code or id, or those reported in a window (optionally of some categories and statuses). */
export type PublicCaseSearch =
  | { kind: 'ids'; codes: string[]; ids: string[] }
  | { kind: 'window'; from: Date; to: Date | null; categoryCodes: string[] | null; statuses: CaseStatus[] | null };

/** Public columns only (the public view's allow-list, @wangge/auth): nothing of the reporter, no staff name, a public photo only. */
const PUBLIC_CASE_SELECT = `
  SELECT c.id, c.code, c.status, c.category_code, cat.name AS category_name, cat.name_en AS category_name_en,
         c.description, c.address, c.grid_cell_code, ST_X(c.location) AS lng, ST_Y(c.location) AS lat,
         ac.level AS assignee_level, c.deadline_at, c.overdue, c.public_note, mt.code AS merged_into_code,
         (SELECT cm.media_id FROM case_media cm JOIN media md ON md.id = cm.media_id
           WHERE cm.case_id = c.id AND ${publicPhotoSql('cm')} ORDER BY cm.event_seq NULLS FIRST, md.created_at, md.id LIMIT 1) AS media_id,
         c.created_at, c.updated_at
    FROM case_file c
    JOIN category cat ON cat.code = c.category_code
    LEFT JOIN road_chief ac ON ac.id = c.assignee_chief_id
    LEFT JOIN case_file mt ON mt.id = c.merged_into`;

/**
 * Public reads over all cases of the district (Open311): not scoped to a staff member, never the
 * reporter's contact. Needs only the DataSource.
 */
@Injectable()
export class PublicCaseQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The cases of a search, newest first, at most `limit`. */
  search(search: PublicCaseSearch, limit: number): Promise<PublicCaseRow[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (search.kind === 'ids') {
      where.push(`(c.code = ANY(${p(search.codes)}::text[]) OR c.id = ANY(${p(search.ids)}::uuid[]))`);
    } else {
      where.push(`c.created_at >= ${p(search.from)}`);
      if (search.to) where.push(`c.created_at <= ${p(search.to)}`);
      if (search.categoryCodes) where.push(`c.category_code = ANY(${p(search.categoryCodes)}::text[])`);
      if (search.statuses) where.push(`c.status = ANY(${p(search.statuses)}::text[])`);
    }
    return this.db.query(`${PUBLIC_CASE_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT ${p(limit)}`, params);
  }

  /** One case by its id (a UUID) or else its code; null when there is none. */
  async byIdOrCode(id: string): Promise<PublicCaseRow | null> {
    const uuid = /^[0-9a-f-]{36}$/i.test(id);
    const [row]: PublicCaseRow[] = await this.db.query(`${PUBLIC_CASE_SELECT} WHERE ${uuid ? 'c.id = $1::uuid' : 'c.code = $1'}`, [id]);
    return row ?? null;
  }

  /** The code of the case whose tracking token this is; null when there is none. */
  async codeByTrackingToken(token: string): Promise<string | null> {
    const [row]: { code: string }[] = await this.db.query(`SELECT code FROM case_file WHERE tracking_token_hash = $1`, [trackingTokenHash(token)]);
    return row?.code ?? null;
  }
}
