import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { utcOffsetMinutes } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { STAFF_ROLES } from '@wangge/domain';
import { ApiError } from '@wangge/operations';
import { DutyService, InspectionEvaluationService, InspectionPlanService } from '@wangge/places';
import { ActorService } from '@wangge/workflow';
import { periodBound } from '../evaluation/period';
import { CreateDutyRosterDto, CreateInspectionPlanDto, DutyCheckInDto, InspectionEvaluationQueryDto, InspectionPlanQueryDto, UpdateInspectionPlanDto } from './inspection-plan.dto';
import { PlaceFilterDto } from './place.dto';

const uuid = (what: string) =>
  new ParseUUIDPipe({ version: undefined, exceptionFactory: () => ApiError.badInput([{ field: 'id', problem: `id must be a ${what} id (UUID)` }]) });

/** Inspection plans, their evaluation, and duty at checkpoints (domain.md 8, issue 17). */
@ApiTags('places and inspections')
@ApiBearerAuth()
@Controller('api/v1')
export class InspectionPlansController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ActorService) private readonly actors: ActorService,
    @Inject(InspectionPlanService) private readonly plans: InspectionPlanService,
    @Inject(InspectionEvaluationService) private readonly evaluation: InspectionEvaluationService,
    @Inject(DutyService) private readonly duty: DutyService,
  ) {}

  @Post('inspection-plans')
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Make inspections due at places every so long (PT4H, P1D) / 新建巡查计划' })
  async create(@Body() body: CreateInspectionPlanDto, @CurrentUser() user: AuthUser) {
    return this.plans.create(body, await this.actors.of(user), { id: user.id, username: user.username });
  }

  @Get('inspection-plans')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Plans over the places in your scope, newest first / 巡查计划' })
  async list(@Query() q: InspectionPlanQueryDto, @CurrentUser() user: AuthUser) {
    return this.plans.list(await this.actors.of(user), { active: q.active === undefined ? undefined : q.active === 'true' });
  }

  @Patch('inspection-plans/:id')
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Add or remove places (a plan by id), change assignees (open due inspections too) or the end / 修改巡查计划' })
  async update(@Param('id', uuid('plan')) id: string, @Body() body: UpdateInspectionPlanDto, @CurrentUser() user: AuthUser) {
    return this.plans.update(id, body, await this.actors.of(user), { id: user.id, username: user.username });
  }

  @Post('inspection-plans/:id/deactivate')
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Stop a plan: nothing more becomes due, open due inspections are cancelled / 停用巡查计划' })
  async deactivate(@Param('id', uuid('plan')) id: string, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: FastifyReply) {
    res.status(200);
    return this.plans.deactivate(id, await this.actors.of(user), { id: user.id, username: user.username });
  }

  @Get('inspections/evaluation')
  @Roles('chief', 'operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Inspections done on time, missed, failed items fixed on time, per person or street, scored by the versioned field formula / 巡查考核' })
  async evaluate(@Query() q: InspectionEvaluationQueryDto, @CurrentUser() user: AuthUser) {
    const offset = utcOffsetMinutes(this.config.timeZone);
    const from = periodBound(q.from, 'from', offset);
    const to = periodBound(q.to, 'to', offset);
    if (to.getTime() <= from.getTime()) throw ApiError.badInput([{ field: 'to', problem: 'to must be after from / 结束须晚于开始' }]);
    return this.evaluation.evaluate({ from, to }, q.groupBy ?? 'person', await this.actors.of(user), { formulaVersion: q.formulaVersion });
  }

  @Post('duty-rosters')
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Shifts of named people at a place (checkpoint) / 新建值守排班' })
  async createRoster(@Body() body: CreateDutyRosterDto, @CurrentUser() user: AuthUser) {
    return this.duty.createRoster(body, await this.actors.of(user));
  }

  @Get('duty-rosters')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Rosters at the places in your scope, with their shifts / 值守排班' })
  async rosters(@Query() q: PlaceFilterDto, @CurrentUser() user: AuthUser) {
    return this.duty.rosters({ placeId: q.placeId }, await this.actors.of(user));
  }

  @Post('duty/check-in')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Check in at your shift on site (further than PLACE_RADIUS_M: flagged off-site) / 值守签到' })
  async checkIn(@Body() body: DutyCheckInDto, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: FastifyReply) {
    const { checkIn, created } = await this.duty.checkIn(body, await this.actors.of(user));
    res.status(created ? 201 : 200);
    return checkIn;
  }

  @Get('me/duty-shifts')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'My duty shifts (from twelve hours ago on), soonest first / 我的值守' })
  async myShifts(@CurrentUser() user: AuthUser) {
    return this.duty.shiftsOf(user.id);
  }
}
