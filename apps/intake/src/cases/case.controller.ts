import { Body, Controller, Get, Headers, HttpCode, Inject, Ip, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Public, Roles, type AuthUser } from '@wangge/auth';
import { STAFF_CASE_ACTIONS, STAFF_ROLES, isStaffCaseAction, type ReportSource } from '@wangge/domain';
import { parseBbox } from '@wangge/geo';
import { parseDateTime } from '@wangge/clock';
import { ApiError } from '@wangge/operations';
import {
  ActorService,
  audienceOf,
  BusinessCalendarService,
  CaseQueryService,
  type Actor,
} from '@wangge/workflow';
import { CaseActionKeysService, CaseReportService } from '@wangge/reports';
import { CaseActionDto, CaseListQueryDto, ReportCaseDto, TrackingQueryDto } from './case.dto';
import { idempotencyOf } from './idempotency-key';
import { RateLimit } from '../throttling/rate-limit.decorator';

const uuid = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => ApiError.badInput([{ field: 'id', problem: 'id must be a case id (UUID)' }]),
});

/** Where a report comes from, decided on the server from who sent it. */
export function sourceOf(actor: Actor): ReportSource {
  if (actor.role === 'warden') return 'warden';
  if (actor.role === 'operator' || actor.role === 'leader' || actor.role === 'admin') return 'hotline';
  return 'citizen';
}

@ApiTags('cases')
@Controller('api/v1')
export class CaseController {
  constructor(
    @Inject(ActorService) private readonly actors: ActorService,
    @Inject(CaseReportService) private readonly reports: CaseReportService,
    @Inject(CaseActionKeysService) private readonly actions: CaseActionKeysService,
    @Inject(CaseQueryService) private readonly queries: CaseQueryService,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
  ) {}

  @Post('cases')
  @Public()
  @RateLimit('reports')
  @ApiOperation({ summary: 'Report a problem (anonymous allowed; wardens and hotline operators sign in) / 上报问题' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key returns the first answer' })
  @ApiCreatedResponse({ description: 'the case, with the tracking token that follows it' })
  async report(
    @Body() body: ReportCaseDto,
    @CurrentUser() user: AuthUser | undefined,
    @Headers('idempotency-key') key: string | undefined,
    @Ip() ip: string,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const actor = await this.actors.of(user);
    const { source, ...rest } = body;
    const result = await this.reports.report({ ...rest, channel: source }, actor, sourceOf(actor), idempotencyOf(key, actor, ip, 'POST', '/api/v1/cases', body));
    if (result.replayed) res.header('Idempotent-Replayed', 'true');
    res.status(result.statusCode);
    return result.body;
  }

  @Get('cases')
  @ApiBearerAuth()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Cases in the caller’s scope, newest first (or by traffic light: sort=light), with a cursor / 案卷列表' })
  async list(@Query() q: CaseListQueryDto, @CurrentUser() user: AuthUser) {
    return this.queries.list(
      {
        status: q.status,
        category: q.category,
        street: q.street,
        community: q.community,
        assignee: q.assignee,
        overdue: q.overdue,
        extensionRequested: q.extensionRequested,
        suspended: q.suspended,
        bbox: q.bbox ? parseBbox(q.bbox) : undefined,
        from: q.from ? parseDate(q.from, 'from', this.calendar.offsetMinutes) : undefined,
        to: q.to ? parseDate(q.to, 'to', this.calendar.offsetMinutes) : undefined,
        cursor: q.cursor,
        limit: q.limit,
        sort: q.sort,
      },
      await this.actors.of(user),
    );
  }

  @Get('cases/:id')
  @Public()
  @RateLimit('reads')
  @ApiOperation({ summary: 'One case with its timeline; anonymous reporters pass their trackingToken / 案卷详情' })
  async get(@Param('id', uuid) id: string, @Query() q: TrackingQueryDto, @CurrentUser() user: AuthUser | undefined) {
    if (!user) {
      if (!q.trackingToken) {
        throw new ApiError(401, 'unauthenticated', 'sign in, or pass the trackingToken your report answered with / 请登录或提供查询码');
      }
      return this.queries.viewByToken(id, q.trackingToken);
    }
    return this.queries.view(id, await this.actors.of(user));
  }

  @Post('cases/:id/:action')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(...STAFF_ROLES)
  @ApiParam({ name: 'action', enum: STAFF_CASE_ACTIONS })
  @ApiOperation({ summary: 'Move a case along the closed loop / 案卷流转: register, reject, verify-request, dispatch, accept, return, resolve, verify, cancel, extend, merge, comment, suspend (挂账), resume, place (定位)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key is done once, whatever happened to the case since; it answers the case as it is now' })
  async act(
    @Param('id', uuid) id: string,
    @Param('action') action: string,
    @Body() body: CaseActionDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    if (!isStaffCaseAction(action)) throw ApiError.notFound(`action ${action}`);
    const actor = await this.actors.of(user);
    const idempotency = idempotencyOf(key, actor, undefined, 'POST', `/api/v1/cases/${id}/${action}`, body);
    const { replayed } = await this.actions.apply({ caseId: id, action, actor, input: body, idempotency });
    if (replayed) res.header('Idempotent-Replayed', 'true');
    return this.queries.viewIn(this.queries.manager, id, audienceOf(actor));
  }

  @Get('me/tasks')
  @ApiBearerAuth()
  @Roles('chief', 'department', 'warden')
  @ApiOperation({ summary: 'A chief’s open assignments (and cases they coordinate), a department member’s department cases, or a warden’s checks, deadlines first / 我的任务' })
  async tasks(@CurrentUser() user: AuthUser) {
    return this.queries.tasks(await this.actors.of(user));
  }
}

/**
 * An ISO 8601 date or date-time (a date alone: its local 00:00); one without a zone is read in the
 * district's time zone. A day that does not exist (2026-02-30) is refused naming the field.
 */
export function parseDate(value: string, field: string, offsetMinutes: number): Date {
  const d = parseDateTime(value, offsetMinutes);
  if (!d) throw ApiError.badInput([{ field, problem: `${field} is not a valid date` }]);
  return d;
}
