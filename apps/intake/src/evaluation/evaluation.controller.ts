import { Controller, Get, Inject, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { EvaluationError, EvaluationService, type EvaluationScope } from '@wangge/evaluation';
import { BusinessCalendarService } from '@wangge/workflow';
import { EvaluationErrorFilter } from './evaluation-error.filter';
import { EvaluationQueryDto } from './evaluation.dto';
import { periodBound } from './period';

/** Who sees which rows: district staff all, street staff their street, a chief their own. */
export function evaluationScopeOf(user: AuthUser): EvaluationScope {
  if (user.role === 'chief') {
    if (user.chiefId === null) throw new EvaluationError('forbidden', 'your account is not linked to a road chief / 账号未关联路长');
    return { chiefId: user.chiefId };
  }
  return user.streetCode ? { streetCode: user.streetCode } : {};
}

@ApiTags('evaluation')
@ApiBearerAuth()
@UseFilters(EvaluationErrorFilter)
@Controller('api/v1/evaluation')
export class EvaluationController {
  constructor(
    @Inject(EvaluationService) private readonly evaluation: EvaluationService,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
  ) {}

  @Get()
  @Roles('leader', 'operator', 'admin', 'chief')
  @ApiOperation({
    summary:
      'Metrics, composite score and rank per chief, street, community or category for a period (考核): leaders and operators see their jurisdiction, a chief their own rows',
  })
  @ApiOkResponse({ description: 'the report: formula version used, period, rows ranked (competition ranking 1,1,3), totals' })
  async evaluate(@Query() q: EvaluationQueryDto, @CurrentUser() user: AuthUser) {
    return this.evaluation.evaluate({
      from: periodBound(q.from, 'from', this.calendar.offsetMinutes),
      to: periodBound(q.to, 'to', this.calendar.offsetMinutes),
      groupBy: q.groupBy,
      formulaVersion: q.formulaVersion,
      scope: evaluationScopeOf(user),
    });
  }

  @Get('formulas')
  @Roles('leader', 'operator', 'admin', 'chief')
  @ApiOperation({ summary: 'Every version of the evaluation formula (weights, in force from) / 考核公式版本' })
  async formulas() {
    return this.evaluation.formulas();
  }
}
