import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { AppealService } from '@wangge/evaluation';
import { ApiError } from '@wangge/operations';
import { ActorService } from '@wangge/workflow';
import { AppealDecisionDto, AppealListQueryDto, CreateAppealDto } from './evaluation.dto';

const uuid = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => ApiError.badInput([{ field: 'id', problem: 'id must be an appeal id (UUID)' }]),
});

@ApiTags('evaluation')
@ApiBearerAuth()
@Controller('api/v1/appeals')
export class AppealsController {
  constructor(
    @Inject(AppealService) private readonly appeals: AppealService,
    @Inject(ActorService) private readonly actors: ActorService,
  ) {}

  @Post()
  @Roles('chief', 'department')
  @ApiOperation({ summary: 'A chief (or a member of the department the case is dispatched to) appeals the overdue mark of a case assigned to them, once per case / 超期申诉' })
  @ApiCreatedResponse({ description: 'the appeal, pending' })
  async create(@Body() body: CreateAppealDto, @CurrentUser() user: AuthUser) {
    return this.appeals.appeal(body.caseId, body.reason, await this.actors.of(user));
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('leader', 'department')
  @ApiOperation({
    summary: 'A leader (or, for a department’s appeal, the department’s leader) approves (exempts the case from the timeliness metrics) or rejects an appeal / 审批申诉',
  })
  @ApiOkResponse({ description: 'the decided appeal' })
  async decide(@Param('id', uuid) id: string, @Body() body: AppealDecisionDto, @CurrentUser() user: AuthUser) {
    return this.appeals.decide(id, body.approved, body.note, await this.actors.of(user));
  }

  @Get()
  @Roles('chief', 'department', 'operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Appeals in the caller’s scope (a chief: their own; a department: its own; street staff: their street), newest first / 申诉列表' })
  async list(@Query() q: AppealListQueryDto, @CurrentUser() user: AuthUser) {
    return this.appeals.list(q.status, await this.actors.of(user));
  }
}
