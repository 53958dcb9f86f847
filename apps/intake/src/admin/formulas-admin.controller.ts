import { Body, Controller, Get, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { EvaluationService, type EvaluationFormula } from '@wangge/evaluation';
import { parseDateTime, utcOffsetMinutes } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { ApiError, NoHtml } from '@wangge/operations';
import { DistrictAdminGuard } from './district-admin.guard';

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function Weight(): PropertyDecorator {
  return (target, key) => {
    IsDefined({ message: `${String(key)} is required` })(target, key);
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: `${String(key)} must be a number` })(target, key);
    Min(0, { message: `${String(key)} must be 0 or more` })(target, key);
    Max(100, { message: `${String(key)} must be at most 100` })(target, key);
  };
}

export class WeightsDto {
  @ApiProperty({ example: 30, description: '按期处置率' })
  @Weight()
  onTimeHandlingRate: number;

  @ApiProperty({ example: 20, description: '结案率' })
  @Weight()
  closingRate: number;

  @ApiProperty({ example: 20, description: '1 - 返工率' })
  @Weight()
  reworkRate: number;

  @ApiProperty({ example: 20, description: '1 - 超期率' })
  @Weight()
  overdueRate: number;

  @ApiProperty({ example: 10, description: '1 - 延期率' })
  @Weight()
  extensionRate: number;
}

export class CreateFormulaDto {
  @ApiProperty({ type: WeightsDto, description: 'percentages, 0 or more, summing to 100 / 权重（合计100）' })
  @IsDefined({ message: 'weights is required' })
  @ValidateNested()
  @Type(() => WeightsDto)
  weights: WeightsDto;

  @ApiProperty({ example: '2027-01-01', description: 'in force from: a local date (its 00:00) or an ISO 8601 date-time, today or later / 生效时间' })
  @IsDefined({ message: 'effectiveFrom is required' })
  @IsString({ message: 'effectiveFrom must be a date' })
  @Matches(DATE_OR_TIME, { message: 'effectiveFrom must be a date YYYY-MM-DD or an ISO 8601 date-time' })
  effectiveFrom: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @NoHtml()
  note?: string;
}

/** Versions of the evaluation formula (domain.md section 5): a change is a new version. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@UseGuards(DistrictAdminGuard)
@Controller('api/v1/admin/evaluation/formulas')
export class FormulasAdminController {
  constructor(
    @Inject(EvaluationService) private readonly evaluation: EvaluationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every version of the evaluation formula, oldest first / 考核公式版本' })
  list(): Promise<EvaluationFormula[]> {
    return this.evaluation.formulas();
  }

  @Post()
  @ApiOperation({ summary: 'Add a formula version (weights summing to 100, in force from effectiveFrom) / 新增考核公式' })
  @ApiCreatedResponse({ description: '{version, weights, effectiveFrom, note}' })
  create(@Body() body: CreateFormulaDto, @CurrentUser() user: AuthUser): Promise<EvaluationFormula> {
    const effectiveFrom = parseDateTime(body.effectiveFrom, utcOffsetMinutes(this.config.timeZone));
    if (!effectiveFrom) throw ApiError.badInput([{ field: 'effectiveFrom', problem: 'effectiveFrom is not a valid date / 日期无效' }]);
    return this.evaluation.addFormula(body.weights, effectiveFrom, body.note ?? null, user);
  }
}
