import { Body, Controller, Get, Inject, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { ApiError } from '@wangge/operations';
import { HolidayCalendarEditor, type CalendarYear } from '@wangge/workflow';
import { DistrictAdminGuard } from './district-admin.guard';

function yearOf(text: string): number {
  if (!/^\d{4}$/.test(text)) throw ApiError.badInput([{ field: 'year', problem: 'year must be 4 digits, e.g. 2027' }]);
  return Number(text);
}

/** The holiday calendar the work-time clocks count by, a year at a time (domain.md section 7). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@UseGuards(DistrictAdminGuard)
@Controller('api/v1/admin/calendar')
export class CalendarAdminController {
  constructor(@Inject(HolidayCalendarEditor) private readonly editor: HolidayCalendarEditor) {}

  @Get(':year')
  @ApiOperation({ summary: "A year's holidays and make-up work days (调休) / 节假日" })
  year(@Param('year') year: string): Promise<CalendarYear> {
    return this.editor.year(yearOf(year));
  }

  @Put(':year')
  @ApiOperation({ summary: "Replace the year's entries; deadlines computed from now on follow it / 保存节假日" })
  @ApiBody({
    description: '[{date: YYYY-MM-DD (in that year, each once), kind: holiday|workday, name, nameEn?}]',
    schema: { type: 'array', items: { type: 'object', properties: { date: { type: 'string' }, kind: { enum: ['holiday', 'workday'] }, name: { type: 'string' }, nameEn: { type: 'string' } } } },
  })
  replace(@Param('year') year: string, @Body() body: unknown, @CurrentUser() user: AuthUser): Promise<CalendarYear> {
    return this.editor.replaceYear(yearOf(year), body, user);
  }
}
