import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { publicCaseOf, type PublicCase } from '@wangge/auth';
import type { CaseStatus } from '@wangge/domain';
import { trackingTokenHash } from '@wangge/events';
import { CASE_SELECT, type CaseRow } from '../case-row';
import { toCaseView, type CaseView } from '../case-query.service';
import { publicPhotoSql } from './public-photos.sql';

/** Which public cases: by code or id, or those reported in a window (optionally of some categories and statuses). */
export type PublicCaseSearch =
  | { kind: 'ids'; codes: string[]; ids: string[] }
  | { kind: 'window'; from: Date; to: Date | null; categoryCodes: string[] | null; statuses: CaseStatus[] | null };

/**
 * Public reads over all cases of the district (Open311): not scoped to a staff member. Each case is
 * the public view of @wangge/auth (`publicCaseOf`, the one allow-list that REST tracking and the
 * feed use too): what it does not name, Open311 does not show. No timeline (Open311 has none).
 */
@Injectable()
export class PublicCaseQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The cases of a search, newest first, at most `limit`. */
  async search(search: PublicCaseSearch, limit: number): Promise<PublicCase[]> {
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
    const rows: CaseRow[] = await this.db.query(`${CASE_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT ${p(limit)}`, params);
    return this.publicViews(rows);
  }

  /** One case by its id (a UUID) or else its code; null when there is none. */
  async byIdOrCode(id: string): Promise<PublicCase | null> {
    const uuid = /^[0-9a-f-]{36}$/i.test(id);
    const rows: CaseRow[] = await this.db.query(`${CASE_SELECT} WHERE ${uuid ? 'c.id = $1::uuid' : 'c.code = $1'}`, [id]);
    const [view] = await this.publicViews(rows);
    return view ?? null;
  }

  /** The code of the case whose tracking token this is; null when there is none. */
  async codeByTrackingToken(token: string): Promise<string | null> {
    const [row]: { code: string }[] = await this.db.query(`SELECT code FROM case_file WHERE tracking_token_hash = $1`, [trackingTokenHash(token)]);
    return row?.code ?? null;
  }

  /** The public view of each case, with its public photos and the case it was merged into (two statements for the lot). */
  private async publicViews(rows: CaseRow[]): Promise<PublicCase[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const mergedIds = rows.map((r) => r.merged_into).filter((id): id is string => id !== null);
    const [photos, targets]: [{ case_id: string; media_id: string; content_type: string }[], { id: string; code: string; status: CaseStatus }[]] = await Promise.all([
      this.db.query(
        `SELECT cm.case_id, cm.media_id, md.content_type FROM case_media cm JOIN media md ON md.id = cm.media_id
          WHERE cm.case_id = ANY($1::uuid[]) AND ${publicPhotoSql('cm')} ORDER BY cm.event_seq NULLS FIRST, md.created_at, md.id`,
        [ids],
      ),
      mergedIds.length > 0 ? this.db.query(`SELECT id, code, status FROM case_file WHERE id = ANY($1::uuid[])`, [mergedIds]) : Promise.resolve([]),
    ]);
    const media = new Map<string, CaseView['media']>();
    for (const m of photos) media.set(m.case_id, [...(media.get(m.case_id) ?? []), { id: m.media_id, url: `/api/v1/media/${m.media_id}`, contentType: m.content_type }]);
    const merged = new Map(targets.map((t) => [t.id, t]));
    return rows.map((r) => publicCaseOf(toCaseView(r, 'public', media.get(r.id) ?? [], merged.get(r.merged_into ?? '') ?? null)));
  }
}
