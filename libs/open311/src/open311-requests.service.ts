import { Inject, Injectable } from '@nestjs/common';
import { CaseReportService, type IdempotencyRequest } from '@wangge/reports';
import { ANONYMOUS_CITIZEN, CaseError, PublicCaseQuery } from '@wangge/workflow';
import type { ApiKeyHolder } from './api-key.service';
import type { CreatedServiceRequest, ServiceRequest, TokenRecord } from './georeport';
import { toServiceRequest, type RequestContext } from './georeport-mapping';
import { bilingual } from './locale';
import { Open311Error, type Open311Status } from './open311-error';
import { isRequestId, MAX_REQUESTS, type RequestSearch } from './request-search';

/** A validated `POST requests`, in the platform's terms. */
export interface Open311Report {
  serviceCode: string;
  /** Absent: located by `address`/`addressId` only (an operator places it). */
  location?: { lat: number; long: number };
  /** Open311 `address_id`, kept as the client gave it. */
  addressId?: string;
  /** Optional in GeoReport v2: empty when the client sent none. */
  description: string;
  conditionNo?: number;
  address?: string;
  reporter: { name?: string; phone?: string; email?: string };
  accountId?: string;
  mediaIds?: string[];
  /** Why the service notice has something to add (e.g. a `media_url` that was not kept). */
  notices?: { zh: string; en: string }[];
}

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
    @Inject(PublicCaseQuery) private readonly cases: PublicCaseQuery,
    @Inject(CaseReportService) private readonly reports: CaseReportService,
  ) {}

  async search(search: RequestSearch, ctx: RequestContext): Promise<ServiceRequest[]> {
    const rows = await this.cases.search(
      search.kind === 'ids' ? search : { kind: 'window', from: search.from, to: search.to, categoryCodes: search.serviceCodes, statuses: search.statuses },
      MAX_REQUESTS,
    );
    return rows.map((r) => toServiceRequest(r, ctx));
  }

  /** One request by its code or its id; 404 otherwise. */
  async find(id: string, ctx: RequestContext): Promise<ServiceRequest> {
    const row = isRequestId(id) ? await this.cases.byIdOrCode(id) : null;
    if (row) return toServiceRequest(row, ctx);
    throw Open311Error.notFound(`no service request ${id} / 无此诉求`);
  }

  async byToken(token: string): Promise<TokenRecord> {
    const code = /^[A-Za-z0-9_-]{16,64}$/.test(token) ? await this.cases.codeByTrackingToken(token) : null;
    if (code) return { service_request_id: code, token };
    throw Open311Error.notFound(`no service request for token ${token} / 无此查询码`);
  }

  async create(report: Open311Report, client: ApiKeyHolder, idempotency?: IdempotencyRequest): Promise<{ body: CreatedServiceRequest; replayed: boolean }> {
    try {
      const result = await this.reports.report(
        {
          categoryCode: report.serviceCode,
          description: report.description,
          location: report.location && { lng: report.location.long, lat: report.location.lat },
          address: report.address,
          addressId: report.addressId,
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
      const notices = [
        { zh: `已受理，状态：${status.zh}`, en: `received, status: ${status.en}` },
        ...(report.location ? [] : [{ zh: '按地址受理，待受理员在地图上定位', en: 'located by its address: an operator will place it on the map' }]),
        ...(report.notices ?? []),
      ];
      return {
        replayed: result.replayed,
        body: {
          service_request_id: result.body.code,
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
  // The specification: an unknown service_code is 404 ("service_code or service_request_id not found").
  const status: Open311Status = e.code === 'unknown_category' ? 404 : http === 403 || http === 404 || http === 409 ? http : 400;
  const field = e.field ? (FIELD_NAMES[e.field] ?? (e.field.startsWith('mediaIds') ? 'media_url' : e.field)) : null;
  return new Open311Error(status, field ? `${field}: ${e.message}` : e.message);
}
