import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { caseGrants, CurrentUser, principalOf, Roles, type AuthUser } from '@wangge/auth';
import { EvaluationError, EvaluationService, EvaluationTrendsService, isStageGroupKind, type EvaluationScope } from '@wangge/evaluation';
import { BusinessCalendarService } from '@wangge/workflow';
import { PeriodQueryDto, EvaluationQueryDto, TrendsQueryDto } from './evaluation.dto';
import { periodBound } from './period';

/**
 * Who sees which rows, from the scopes the access model gives the caller: the district all rows,
 * a street its street's, a chief (by the cases assigned to them) their own. A caller holding none
 * of these sees no evaluation.
 */
export function evaluationScopeOf(user: AuthUser): EvaluationScope {
  for (const { rule } of caseGrants(principalOf(user), 'staff')) {
    if (rule.scope === 'district') return {};
    if (rule.scope === 'street' && user.streetCode !== null) return { streetCode: user.streetCode };
    if (rule.scope === 'assigned' && user.chiefId !== null) return { chiefId: user.chiefId };
  }
  if (user.role === 'chief') throw new EvaluationError('forbidden', 'your account is not linked to a road chief / 账号未关联路长');
  throw new EvaluationError('forbidden', `role ${user.role} sees no evaluation / 当前角色无权查看考核`);
}

@ApiTags('evaluation')
@ApiBearerAuth()
@Controller('api/v1/evaluation')
export class EvaluationController {
  constructor(
    @Inject(EvaluationService) private readonly evaluation: EvaluationService,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
    @Inject(EvaluationTrendsService) private readonly trendsOf: EvaluationTrendsService,
  ) {}

  @Get()
  @Roles('leader', 'operator', 'admin', 'chief')
  @ApiOperation({
    summary:
      'Metrics, composite score and rank per chief, street, community or category for a period (考核): leaders and operators see their jurisdiction, a chief their own rows; groupBy=post or person: the command centre’s stage timeliness (环节按时率)',
  })
  @ApiOkResponse({ description: 'the report: formula version used, period, rows ranked (competition ranking 1,1,3), totals' })
  async evaluate(@Query() q: EvaluationQueryDto, @CurrentUser() user: AuthUser) {
    const from = periodBound(q.from, 'from', this.calendar.offsetMinutes);
    const to = periodBound(q.to, 'to', this.calendar.offsetMinutes);
    if (isStageGroupKind(q.groupBy)) return this.evaluation.stageTimeliness({ from, to, groupBy: q.groupBy, scope: evaluationScopeOf(user) });
    return this.evaluation.evaluate({
      from,
      to,
      groupBy: q.groupBy,
      formulaVersion: q.formulaVersion,
      scope: evaluationScopeOf(user),
    });
  }

  @Get('dispatchers')
  @Roles('leader', 'operator', 'admin')
  @ApiOperation({
    summary:
      '准确派遣率 per dispatcher for a period: dispatches made, returned, returned as wrong dispatches (wrong place, wrong category, not ours, needs a department) / 派遣准确率',
  })
  async dispatchers(@Query() q: PeriodQueryDto, @CurrentUser() user: AuthUser) {
    return this.evaluation.dispatchAccuracy({
      from: periodBound(q.from, 'from', this.calendar.offsetMinutes),
      to: periodBound(q.to, 'to', this.calendar.offsetMinutes),
      scope: evaluationScopeOf(user),
    });
  }

  @Get('trends')
  @Roles('leader', 'operator', 'admin', 'chief')
  @ApiOperation({
    summary:
      'Reported, registered, closed and overdue per local day over a period, optionally for one street and one category, and the mean handling time; scoped like the evaluation (a chief: their cases) / 趋势',
  })
  async trends(@Query() q: TrendsQueryDto, @CurrentUser() user: AuthUser) {
    return this.trendsOf.trends({
      from: periodBound(q.from, 'from', this.calendar.offsetMinutes),
      to: periodBound(q.to, 'to', this.calendar.offsetMinutes),
      scope: evaluationScopeOf(user),
      streetCode: q.street,
      categoryCode: q.category,
    });
  }

  @Get('formulas')
  @Roles('leader', 'operator', 'admin', 'chief')
  @ApiOperation({ summary: 'Every version of the evaluation formula (weights, in force from) / 考核公式版本' })
  async formulas() {
    return this.evaluation.formulas();
  }
}
