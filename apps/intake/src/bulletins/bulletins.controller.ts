import { Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { localDayOfDate } from '@wangge/clock';
import {
  BulletinService,
  bulletinCsv,
  bulletinFileName,
  bulletinHtml,
  bulletinXlsx,
  parsePeriod,
  type BulletinDocument,
  type BulletinKind,
  type BulletinPeriod,
} from '@wangge/bulletins';
import { ApiError } from '@wangge/operations';
import { BulletinListQueryDto, BulletinReadQueryDto } from './bulletins.dto';

/**
 * Who reads bulletins: leaders, operators and admins (district or street level: a bulletin is the
 * district's one document) and road chiefs (rankings are public inside the organisation: a chief
 * sees where they and their peers stand). Wardens are not judged by bulletins and do not read
 * them. Leaders and admins (re)generate.
 */
export const BULLETIN_READERS = ['leader', 'operator', 'admin', 'chief'] as const;
export const BULLETIN_WRITERS = ['leader', 'admin'] as const;

const FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;
type Format = (typeof FORMATS)[number];

@ApiTags('bulletins')
@ApiBearerAuth()
@Controller('api/v1/bulletins')
export class BulletinsController {
  constructor(@Inject(BulletinService) private readonly bulletins: BulletinService) {}

  @Get()
  @Roles(...BULLETIN_READERS)
  @ApiOperation({ summary: 'Stored daily summaries and weekly bulletins, newest first (latest revision of each period) / 通报列表' })
  list(@Query() q: BulletinListQueryDto) {
    const fromDay = q.from !== undefined ? this.day(q.from, 'from') : undefined;
    const toDay = q.to !== undefined ? this.day(q.to, 'to') : undefined;
    if (fromDay !== undefined && toDay !== undefined && fromDay > toDay) {
      throw ApiError.badInput([{ field: 'to', problem: 'to must not be before from / 结束日期不能早于开始日期' }]);
    }
    return this.bulletins.list({ kind: q.kind, fromDay, toDay, limit: q.limit ?? 100 });
  }

  @Get('daily/:date')
  @Roles(...BULLETIN_READERS)
  @ApiParam({ name: 'date', example: '2026-03-01.html', description: 'YYYY-MM-DD, optionally with .json, .csv, .xlsx or .html' })
  @ApiOperation({ summary: 'A day’s summary as JSON, CSV, XLSX or a printable HTML page / 每日汇总' })
  daily(@Param('date') date: string, @Query() q: BulletinReadQueryDto, @Res({ passthrough: true }) res: FastifyReply) {
    return this.read('daily', date, q.revision, res);
  }

  @Get('weekly/:isoWeek')
  @Roles(...BULLETIN_READERS)
  @ApiParam({ name: 'isoWeek', example: '2026-W09.xlsx', description: 'YYYY-Www, optionally with .json, .csv, .xlsx or .html' })
  @ApiOperation({ summary: 'A week’s bulletin as JSON, CSV, XLSX or a printable HTML page / 每周通报' })
  weekly(@Param('isoWeek') week: string, @Query() q: BulletinReadQueryDto, @Res({ passthrough: true }) res: FastifyReply) {
    return this.read('weekly', week, q.revision, res);
  }

  @Post('daily/:date/generate')
  @HttpCode(HttpStatus.CREATED)
  @Roles(...BULLETIN_WRITERS)
  @ApiOperation({ summary: 'Make the day’s summary now: a new revision; earlier ones stay readable / 重新生成每日汇总' })
  generateDaily(@Param('date') date: string, @CurrentUser() user: AuthUser) {
    return this.generate(this.period('daily', date), user);
  }

  @Post('weekly/:isoWeek/generate')
  @HttpCode(HttpStatus.CREATED)
  @Roles(...BULLETIN_WRITERS)
  @ApiOperation({ summary: 'Make the week’s bulletin now: a new revision; earlier ones stay readable / 重新生成每周通报' })
  generateWeekly(@Param('isoWeek') week: string, @CurrentUser() user: AuthUser) {
    return this.generate(this.period('weekly', week), user);
  }

  private async read(kind: BulletinKind, param: string, revision: number | undefined, res: FastifyReply): Promise<BulletinDocument | string | StreamableFile> {
    const dot = param.lastIndexOf('.');
    const text = dot >= 0 ? param.slice(0, dot) : param;
    const format = dot >= 0 ? param.slice(dot + 1) : 'json';
    const period = this.period(kind, text);
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw ApiError.badInput([{ field: 'format', problem: `format must be one of .json, .csv, .xlsx, .html, got .${format} / 不支持的格式` }]);
    }
    const doc = await this.bulletins.find(kind, period.key, revision);
    if (!doc) {
      const what = revision !== undefined ? `${kind} bulletin ${period.key} revision ${revision}` : `${kind} bulletin ${period.key}`;
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `${what} not found / 该期通报不存在`);
    }
    const offset = this.bulletins.offsetMinutes;
    switch (format as Format) {
      case 'json':
        return doc;
      case 'csv':
        res.header('Content-Type', 'text/csv; charset=utf-8');
        res.header('Content-Disposition', attachment(bulletinFileName(doc, 'csv')));
        return bulletinCsv(doc);
      case 'xlsx':
        res.header('Content-Disposition', attachment(bulletinFileName(doc, 'xlsx')));
        return new StreamableFile(await bulletinXlsx(doc, offset), {
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        });
      case 'html':
        res.header('Content-Type', 'text/html; charset=utf-8');
        res.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        res.header('X-Content-Type-Options', 'nosniff');
        return bulletinHtml(doc, offset);
    }
  }

  private async generate(period: BulletinPeriod, user: AuthUser) {
    const result = await this.bulletins.generate(period, { trigger: 'manual', by: { id: user.id, name: user.name } });
    return result.document;
  }

  private period(kind: BulletinKind, text: string): BulletinPeriod {
    return parsePeriod(kind, text, this.bulletins.offsetMinutes);
  }

  private day(text: string, field: string): number {
    const day = localDayOfDate(text);
    if (day === null) throw ApiError.badInput([{ field, problem: `${field} must be a calendar date YYYY-MM-DD / 日期无效` }]);
    return day;
  }
}

/** A Content-Disposition for a download (the names are ASCII). */
function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}
