import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles, type AuthUser } from '@wangge/auth';
import { STAFF_ROLES } from '@wangge/domain';
import { ApiError } from '@wangge/operations';
import { ActorService, CaseFeedbackService, CaseQueryService, CaseUpdatesService, UPDATE_DECIDERS } from '@wangge/workflow';
import { RateLimit } from '../throttling/rate-limit.decorator';
import { CitizenUpdateDto, FeedbackDto, RequiredTrackingQueryDto, UPDATE_DECISIONS, UpdateDecisionDto } from './citizen-follow-up.dto';

const uuidOf = (field: string) =>
  new ParseUUIDPipe({ version: undefined, exceptionFactory: () => ApiError.badInput([{ field, problem: `${field} must be an id (UUID)` }]) });

/**
 * Citizens' follow-up (domain.md 9): the reporter's feedback after close and updates, authorised by
 * the case's tracking token (a wrong token is answered as a case that does not exist), and staff's
 * decision on an update. Registered before CaseController, whose `cases/:id/:action` would take the paths.
 */
@ApiTags('cases')
@Controller('api/v1')
export class CitizenFollowUpController {
  constructor(
    @Inject(ActorService) private readonly actors: ActorService,
    @Inject(CaseFeedbackService) private readonly feedback: CaseFeedbackService,
    @Inject(CaseUpdatesService) private readonly updates: CaseUpdatesService,
    @Inject(CaseQueryService) private readonly queries: CaseQueryService,
  ) {}

  @Post('cases/:id/feedback')
  @HttpCode(200)
  @Public()
  @RateLimit('reports')
  @ApiOperation({ summary: 'The reporter’s feedback after close, once per close; "not fixed" within 7 natural days reopens the case once / 满意度评价' })
  async give(@Param('id', uuidOf('id')) id: string, @Query() q: RequiredTrackingQueryDto, @Body() body: FeedbackDto) {
    const outcome = await this.feedback.give(id, q.trackingToken, { satisfied: body.satisfied, comment: body.comment });
    return { ...outcome, case: await this.queries.viewByToken(id, q.trackingToken) };
  }

  @Post('cases/:id/updates')
  @Public()
  @RateLimit('reports')
  @ApiOperation({ summary: 'The reporter adds a note and photos; the public sees it once an operator approves it / 市民补充信息' })
  async add(@Param('id', uuidOf('id')) id: string, @Query() q: RequiredTrackingQueryDto, @Body() body: CitizenUpdateDto) {
    return this.updates.add(id, q.trackingToken, { note: body.note, mediaIds: body.mediaIds });
  }

  @Get('cases/:id/updates')
  @ApiBearerAuth()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'The reporter’s updates on a case, pending ones included (staff who see the case) / 市民补充列表' })
  async list(@Param('id', uuidOf('id')) id: string, @CurrentUser() user: AuthUser) {
    return this.updates.list(id, await this.actors.of(user));
  }

  @Post('cases/:id/updates/:updateId/:decision')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(...UPDATE_DECIDERS)
  @ApiParam({ name: 'decision', enum: UPDATE_DECISIONS })
  @ApiOperation({ summary: 'Approve (shown publicly) or reject a reporter’s update; operators and leaders in the case’s jurisdiction / 审核市民补充' })
  async decide(
    @Param('id', uuidOf('id')) id: string,
    @Param('updateId', uuidOf('updateId')) updateId: string,
    @Param('decision') decision: string,
    @Body() body: UpdateDecisionDto,
    @CurrentUser() user: AuthUser,
  ) {
    if (decision !== 'approve' && decision !== 'reject') throw ApiError.notFound(`decision ${decision}`);
    return this.updates.decide(id, updateId, decision, await this.actors.of(user), body.reason);
  }
}
