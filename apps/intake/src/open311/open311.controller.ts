import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@wangge/auth';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import {
  localeOf,
  Open311Error,
  Open311RequestsService,
  Open311ServicesService,
  toRequestSearch,
  type ApiKeyHolder,
  type GeoReportDocument,
  type RequestContext,
  type RequestsQuery,
} from '@wangge/open311';
import { IDEMPOTENCY_KEY_PATTERN, idempotencyRequest, type IdempotencyRequest } from '@wangge/reports';
import { RateLimit } from '../throttling/rate-limit.decorator';
import { Open311ApiKeyGuard, Open311Client } from './open311-api-key.guard';
import { Open311FormatInterceptor } from './open311-format.interceptor';
import { Open311ReportDto, Open311ReportPipe, toOpen311Report } from './open311-report.dto';
import { Open311RequestGuard } from './open311-request.guard';

export const OPEN311_PREFIX = 'open311/v2';

const FORMAT = { name: 'format', enum: ['json', 'xml'], description: 'the extension: .json or .xml' } as const;
const LOCALE = { name: 'locale', required: false, enum: ['zh', 'en'], description: 'names in one language (default: 中文 / English)' } as const;
const JURISDICTION = { name: 'jurisdiction_id', required: false, description: 'the district code, or absent' } as const;

/** A report's Idempotency-Key, per API key: a retry answers the first answer. */
function idempotencyOf(header: string | string[] | undefined, client: ApiKeyHolder, dto: Readonly<Open311ReportDto>): IdempotencyRequest | undefined {
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0] : header;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw Open311Error.badRequest('Idempotency-Key must be 1-200 characters of A-Z a-z 0-9 _ . : = + / - (a UUID is best)');
  }
  const { api_key: _secret, ...fields } = dto;
  return idempotencyRequest(`open311:${client.id}`, key, 'POST', `/${OPEN311_PREFIX}/requests`, fields);
}

/**
 * Open311 GeoReport v2 (domain.md 4.4): every resource as `.json` or `.xml`, errors in the
 * specification's format. Reads are public; reports need an API key.
 */
@ApiTags('open311')
@Public()
@RateLimit('reads')
@UseGuards(Open311RequestGuard)
@UseInterceptors(Open311FormatInterceptor)
@ApiProduces('application/json', 'text/xml')
@Controller(OPEN311_PREFIX)
export class Open311Controller {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Open311ServicesService) private readonly services: Open311ServicesService,
    @Inject(Open311RequestsService) private readonly requests: Open311RequestsService,
  ) {}

  /** Absolute URLs from PUBLIC_BASE_URL, never from the request's Host header (which a client chooses). */
  private context(locale: unknown): RequestContext {
    return { locale: localeOf(locale), timeZone: this.config.timeZone, baseUrl: this.config.publicBaseUrl };
  }

  @Get(['discovery', 'discovery.:format'])
  @ApiParam(FORMAT)
  @ApiOperation({ summary: 'Discovery: where this GeoReport v2 endpoint is and what it speaks' })
  async discovery(): Promise<GeoReportDocument> {
    return { kind: 'discovery', body: await this.services.discovery(OPEN311_PREFIX) };
  }

  @Get(['services', 'services.:format'])
  @ApiParam(FORMAT)
  @ApiQuery(LOCALE)
  @ApiQuery(JURISDICTION)
  @ApiOperation({ summary: 'Services: the active categories (service_code = category code, e.g. E0102) / 服务类别' })
  async listServices(@Query('locale') locale?: string): Promise<GeoReportDocument> {
    return { kind: 'services', body: await this.services.list(localeOf(locale)) };
  }

  @Get(['services/:service_code', 'services/:service_code.:format'])
  @ApiParam({ name: 'service_code', example: 'E0102' })
  @ApiParam(FORMAT)
  @ApiQuery(LOCALE)
  @ApiQuery(JURISDICTION)
  @ApiOperation({ summary: 'Service definition: the attribute `condition`, the registration conditions (立案条件) with their time limits' })
  async serviceDefinition(@Param('service_code') code: string, @Query('locale') locale?: string): Promise<GeoReportDocument> {
    return { kind: 'service_definition', body: await this.services.definition(code, localeOf(locale)) };
  }

  @Post(['requests', 'requests.:format'])
  @HttpCode(200)
  @UseGuards(Open311ApiKeyGuard)
  @RateLimit('reports')
  @ApiParam(FORMAT)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: Open311ReportDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key returns the first answer' })
  @ApiOkResponse({ description: '[{service_request_id (the case code), service_notice, account_id}]' })
  @ApiOperation({ summary: 'Report a problem (API key required; lat/long, or address_string / address_id for the operator to place) / 上报问题' })
  async create(
    // Readonly<…> (reflected as Object) keeps the global pipe, which refuses unknown fields, off this body: Open311ReportPipe judges it.
    @Body(Open311ReportPipe) dto: Readonly<Open311ReportDto>,
    @Open311Client() client: ApiKeyHolder,
    @Headers('idempotency-key') idempotencyKey: string | string[] | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<GeoReportDocument> {
    const created = await this.requests.create(toOpen311Report(dto, new URL(this.config.publicBaseUrl).host), client, idempotencyOf(idempotencyKey, client, dto));
    if (created.replayed) res.header('Idempotent-Replayed', 'true');
    return { kind: 'service_requests', body: [created.body] };
  }

  @Get(['requests', 'requests.:format'])
  @ApiParam(FORMAT)
  @ApiQuery({ name: 'service_request_id', required: false, description: 'comma list of request ids (case codes or ids); other filters are then ignored' })
  @ApiQuery({ name: 'service_code', required: false, description: 'comma list of service codes' })
  @ApiQuery({ name: 'start_date', required: false, description: 'W3C date-time, e.g. 2026-11-01T00:00:00+08:00' })
  @ApiQuery({ name: 'end_date', required: false, description: 'W3C date-time; the window spans at most 90 days (default: the last 90 days)' })
  @ApiQuery({ name: 'status', required: false, description: 'open, closed or open,closed' })
  @ApiQuery(LOCALE)
  @ApiQuery(JURISDICTION)
  @ApiOperation({ summary: 'Service requests, newest first, at most 1000 (public: no reporter contact) / 诉求列表' })
  async listRequests(@Query() q: RequestsQuery & { locale?: unknown }): Promise<GeoReportDocument> {
    const search = toRequestSearch(q, new Date(), this.config.timeZone);
    return { kind: 'service_requests', body: await this.requests.search(search, this.context(q.locale)) };
  }

  @Get(['requests/:id', 'requests/:id.:format'])
  @ApiParam({ name: 'id', description: 'the case code (410104-20261129-000001) or id' })
  @ApiParam(FORMAT)
  @ApiQuery(LOCALE)
  @ApiQuery(JURISDICTION)
  @ApiOperation({ summary: 'One service request (an array of one, as the specification has it)' })
  async getRequest(@Param('id') id: string, @Query('locale') locale?: string): Promise<GeoReportDocument> {
    return { kind: 'service_requests', body: [await this.requests.find(id, this.context(locale))] };
  }

  @Get(['tokens/:token', 'tokens/:token.:format'])
  @ApiParam({ name: 'token', description: 'the token a report answered with' })
  @ApiParam(FORMAT)
  @ApiQuery(JURISDICTION)
  @ApiOperation({ summary: 'The service_request_id behind a token' })
  async token(@Param('token') token: string): Promise<GeoReportDocument> {
    return { kind: 'service_requests', body: [await this.requests.byToken(token)] };
  }
}
