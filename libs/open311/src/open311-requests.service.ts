import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  ANONYMOUS_CITIZEN,
  CaseError,
  CaseReportService,
  type IdempotencyRequest,
} from '@wangge/workflow';
import { trackingTokenHash } from '@wangge/events';
import type { ApiKeyHolder } from './api-key.service';
import type { CreatedServiceRequest, ServiceRequest, TokenRecord } from './georeport';
import { toServiceRequest, type PublicCaseRow, type RequestContext } from './georeport-mapping';
import { bilingual } from './locale';
import { Open311Error, type Open311Status } from './open311-error';
import { isRequestId, MAX_REQUESTS, type RequestSearch } from './request-search';

/** A validated `POST requests`, in the platform's terms. */
export interface Open311Report {
  serviceCode: string;
  lat: number;
  long: number;
  description: string;
  conditionNo?: number;
  address?: string;
  reporter: { name?: string; phone?: string; email?: string };
  accountId?: string;
  mediaIds?: string[];
  /** Why the service notice has something to add (e.g. a `media_url` that was not kept). */
  notices?: { zh: string; en: string }[];
}

/** Public columns only: nothing of the reporter is ever read here. */
const PUBLIC_CASE_SELECT = `
  SELECT c.id, c.code, c.status, c.category_code, cat.name AS category_name, cat.name_en AS category_name_en,
         c.description, c.address, c.grid_cell_code, ST_X(c.location) AS lng, ST_Y(c.location) AS lat,
         ac.level AS assignee_level, c.deadline_at, c.overdue, c.public_note, mt.code AS merged_into_code,
         (SELECT cm.media_id FROM case_media cm JOIN media md ON md.id = cm.media_id
           WHERE cm.case_id = c.id ORDER BY cm.event_seq NULLS FIRST, md.created_at, md.id LIMIT 1) AS media_id,
         c.created_at, c.updated_at
    FROM case_file c
    JOIN category cat ON cat.code = c.category_code
    LEFT JOIN road_chief ac ON ac.id = c.assignee_chief_id
    LEFT JOIN case_file mt ON mt.id = c.merged_into`;

/** Where the platform names a field, the Open311 client knows it as… */
const FIELD_NAMES: Record<string, string> = {
  categoryCode: 'service_code',
  conditionNo: 'attribute[condition]',
  location: 'lat/long',
  description: 'description',
  address: 'address_string',
};

/**
 * Open311 service requests: public reads over all cases of the district (not scoped to a staff
 * member; never the reporter's contact), and reports through the one intake path, as an
 * anonymous citizen whose source is `open311` and whose channel is the API key's name.
 */
@Injectable()
export class Open311RequestsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CaseReportService) private readonly reports: CaseReportService,
  ) {}

  async search(search: RequestSearch, ctx: RequestContext): Promise<ServiceRequest[]> {
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
      if (search.serviceCodes) where.push(`c.category_code = ANY(${p(search.serviceCodes)}::text[])`);
      if (search.statuses) where.push(`c.status = ANY(${p(search.statuses)}::text[])`);
    }
    const rows: PublicCaseRow[] = await this.db.query(
      `${PUBLIC_CASE_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT ${p(MAX_REQUESTS)}`,
      params,
    );
    return rows.map((r) => toServiceRequest(r, ctx));
  }

  /** One request by its code or its id; 404 otherwise. */
  async find(id: string, ctx: RequestContext): Promise<ServiceRequest> {
    if (isRequestId(id)) {
      const uuid = /^[0-9a-f-]{36}$/i.test(id);
      const [row]: PublicCaseRow[] = await this.db.query(`${PUBLIC_CASE_SELECT} WHERE ${uuid ? 'c.id = $1::uuid' : 'c.code = $1'}`, [id]);
      if (row) return toServiceRequest(row, ctx);
    }
    throw Open311Error.notFound(`no service request ${id} / 无此诉求`);
  }

  async byToken(token: string): Promise<TokenRecord> {
    if (/^[A-Za-z0-9_-]{16,64}$/.test(token)) {
      const [row]: { code: string }[] = await this.db.query(`SELECT code FROM case_file WHERE tracking_token_hash = $1`, [trackingTokenHash(token)]);
      if (row) return { service_request_id: row.code, token };
    }
    throw Open311Error.notFound(`no service request for token ${token} / 无此查询码`);
  }

  async create(report: Open311Report, client: ApiKeyHolder, idempotency?: IdempotencyRequest): Promise<{ body: CreatedServiceRequest; replayed: boolean }> {
    try {
      const result = await this.reports.report(
        {
          categoryCode: report.serviceCode,
          description: report.description,
          location: { lng: report.long, lat: report.lat },
          address: report.address,
          channel: client.name,
          reporter: report.reporter,
          conditionNo: report.conditionNo,
          mediaIds: report.mediaIds,
        },
        ANONYMOUS_CITIZEN,
        'open311',
        idempotency,
      );
      const status = result.body.statusName;
      const notices = [{ zh: `已受理，状态：${status.zh}`, en: `received, status: ${status.en}` }, ...(report.notices ?? [])];
      return {
        replayed: result.replayed,
        body: {
          service_request_id: result.body.code,
          token: result.body.trackingToken,
          service_notice: bilingual(notices.map((n) => n.zh).join('；'), notices.map((n) => n.en).join('; '), 'both'),
          account_id: report.accountId ?? null,
        },
      };
    } catch (e) {
      throw e instanceof CaseError ? toOpen311Error(e) : e;
    }
  }
}

/** A refused report in Open311 terms: 422s are 400s (the specification knows 400, 403, 404), fields by their Open311 names. */
export function toOpen311Error(e: CaseError): Open311Error {
  const http = e.status;
  const status: Open311Status = http === 403 || http === 404 || http === 409 ? http : 400;
  const field = e.field ? (FIELD_NAMES[e.field] ?? (e.field.startsWith('mediaIds') ? 'media_url' : e.field)) : null;
  return new Open311Error(status, field ? `${field}: ${e.message}` : e.message);
}
