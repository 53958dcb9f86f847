import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { AUDIT_LIST_MAX, auditCsv, AuditTrail, type AuditFilter, type AuditView } from '@wangge/audit';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { utcOffsetMinutes } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { periodBound } from '../evaluation/period';

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export class AuditQueryDto {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'from (a local date: its 00:00; or an ISO 8601 date-time), inclusive / 开始' })
  @IsOptional()
  @IsString({ message: 'from must be a date' })
  @Matches(DATE_OR_TIME, { message: 'from must be a date YYYY-MM-DD or an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'to (a local date: through its end; or an ISO 8601 date-time, exclusive) / 结束' })
  @IsOptional()
  @IsString({ message: 'to must be a date' })
  @Matches(DATE_OR_TIME, { message: 'to must be a date YYYY-MM-DD or an ISO 8601 date-time' })
  to?: string;

  @ApiPropertyOptional({ description: 'who made the change: a username or a user id / 操作人' })
  @IsOptional()
  @IsString({ message: 'actor must be a username or a user id' })
  @Length(1, 64, { message: 'actor must be 1-64 characters' })
  actor?: string;

  @ApiPropertyOptional({ example: 'user', description: 'what changed: user, category, standard, calendar, formula, api_key, import, chief, … / 对象' })
  @IsOptional()
  @IsString({ message: 'entity must be a word' })
  @Matches(/^[a-z_]{1,40}$/, { message: 'entity must be a lower-case word such as user or category' })
  entity?: string;

  @ApiPropertyOptional({ description: `at most this many entries, newest first (default and maximum ${AUDIT_LIST_MAX})` })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(AUDIT_LIST_MAX, { message: `limit must be at most ${AUDIT_LIST_MAX}` })
  limit?: number;
}

/**
 * The audit trail of admin changes (domain.md section 7). District admins read all of it; an admin
 * of one street reads the entries of their street.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin')
export class AuditController {
  constructor(
    @Inject(AuditTrail) private readonly trail: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('audit')
  @ApiOperation({ summary: 'Admin changes, newest first / 操作审计' })
  @ApiOkResponse({ description: '[{id, at, actor: {id, username}, action, entity, entityId, streetCode, before, after}]' })
  list(@Query() q: AuditQueryDto, @CurrentUser() user: AuthUser): Promise<AuditView[]> {
    return this.trail.list(this.filterOf(q, user));
  }

  @Get('audit.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="audit.csv"')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The same entries as CSV (UTF-8, for spreadsheets) / 导出审计记录' })
  async csv(@Query() q: AuditQueryDto, @CurrentUser() user: AuthUser): Promise<string> {
    return auditCsv(await this.trail.list(this.filterOf(q, user)));
  }

  private filterOf(q: AuditQueryDto, user: AuthUser): AuditFilter {
    const offset = utcOffsetMinutes(this.config.timeZone);
    return {
      from: q.from ? periodBound(q.from, 'from', offset) : undefined,
      to: q.to ? periodBound(q.to, 'to', offset) : undefined,
      actor: q.actor,
      entity: q.entity,
      streetCode: user.streetCode ?? undefined,
      limit: q.limit,
    };
  }
}
