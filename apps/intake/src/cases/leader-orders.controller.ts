import { Body, Controller, Headers, HttpCode, Inject, Ip, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { ApiError } from '@wangge/operations';
import { CaseReportService } from '@wangge/reports';
import { ActorService, audienceOf, CaseOrders, CaseQueryService } from '@wangge/workflow';
import { idempotencyOf } from './idempotency-key';
import { InstructDto, InstructionCaseDto, SuperviseDto } from './leader-orders.dto';

const uuid = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => ApiError.badInput([{ field: 'id', problem: 'id must be a case id (UUID)' }]),
});

/**
 * A leader's orders (domain.md 9): 督办 and 批示 on a case, and a leader's own case (批示件), which
 * goes the way of every new case (libs/reports) with source `leader`: registered at once, then routed.
 * Registered before CaseController, whose `cases/:id/:action` would take the paths otherwise.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/v1')
export class LeaderOrdersController {
  constructor(
    @Inject(ActorService) private readonly actors: ActorService,
    @Inject(CaseOrders) private readonly orders: CaseOrders,
    @Inject(CaseQueryService) private readonly queries: CaseQueryService,
    @Inject(CaseReportService) private readonly reports: CaseReportService,
  ) {}

  @Post('cases/:id/supervise')
  @HttpCode(200)
  @Roles('leader')
  @ApiOperation({ summary: 'Supervise a case: an instruction and a due time; the case is marked until it closes / 督办' })
  async supervise(@Param('id', uuid) id: string, @Body() body: SuperviseDto, @CurrentUser() user: AuthUser) {
    const actor = await this.actors.of(user);
    await this.orders.give(id, 'supervise', actor, { instruction: body.instruction, dueAt: body.dueAt ? new Date(body.dueAt) : undefined });
    return this.queries.viewIn(this.queries.manager, id, audienceOf(actor));
  }

  @Post('cases/:id/instruct')
  @HttpCode(200)
  @Roles('leader')
  @ApiOperation({ summary: 'A leader’s written instruction on a case / 批示' })
  async instruct(@Param('id', uuid) id: string, @Body() body: InstructDto, @CurrentUser() user: AuthUser) {
    const actor = await this.actors.of(user);
    await this.orders.give(id, 'instruct', actor, { instruction: body.instruction });
    return this.queries.viewIn(this.queries.manager, id, audienceOf(actor));
  }

  @Post('instructions')
  @Roles('leader')
  @ApiOperation({ summary: 'A leader’s own case (批示件): registered at once and routed as usual / 领导批示件' })
  async create(
    @Body() body: InstructionCaseDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key: string | undefined,
    @Ip() ip: string,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const actor = await this.actors.of(user);
    const input = { categoryCode: body.categoryCode, description: body.text, location: body.location, channel: 'instruction' };
    const result = await this.reports.report(input, actor, 'leader', idempotencyOf(key, actor, ip, 'POST', '/api/v1/instructions', body));
    if (result.replayed) res.header('Idempotent-Replayed', 'true');
    res.status(result.statusCode);
    return result.body;
  }
}
