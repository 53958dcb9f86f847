import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { APPEAL_STATUSES, EVALUATION_GROUP_KINDS, STAGE_GROUP_KINDS, type AppealStatus, type EvaluationGroupKind, type StageGroupKind } from '@wangge/evaluation';

/** The groups of `GET /api/v1/evaluation`: the chiefs' metrics, or the posts' stage timeliness (post, person). */
const GROUP_KINDS = [...EVALUATION_GROUP_KINDS, ...STAGE_GROUP_KINDS] as const;
import { NoHtml } from '@wangge/operations';

/** A local date (YYYY-MM-DD, the district's time zone) or an ISO 8601 date-time. */
const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function toInt({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
}

/** A period of evaluation: `from` and `to` (`GET /api/v1/evaluation/dispatchers` takes only this). */
export class PeriodQueryDto {
  @ApiProperty({ example: '2026-01-01', description: 'period start: a local date (its 00:00) or an ISO 8601 date-time, inclusive / 开始' })
  @IsDefined({ message: 'from is required' })
  @IsString({ message: 'from must be a date' })
  @Matches(DATE_OR_TIME, { message: 'from must be a date YYYY-MM-DD or an ISO 8601 date-time' })
  from: string;

  @ApiProperty({ example: '2026-01-31', description: 'period end: a local date (inclusive: through its end) or an ISO 8601 date-time (exclusive) / 结束' })
  @IsDefined({ message: 'to is required' })
  @IsString({ message: 'to must be a date' })
  @Matches(DATE_OR_TIME, { message: 'to must be a date YYYY-MM-DD or an ISO 8601 date-time' })
  to: string;
}

/** A period and, optionally, a formula version (cases' evaluation, inspections', milestones'). */
export class VersionedPeriodQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ description: 'formula version (default: the version in force at the end of the period) / 考核公式版本' })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'formulaVersion must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  formulaVersion?: number;
}

export class EvaluationQueryDto extends VersionedPeriodQueryDto {
  @ApiProperty({ enum: GROUP_KINDS, description: 'post / person: the command centre’s stage timeliness (环节按时率) instead of the chiefs’ metrics' })
  @IsDefined({ message: 'groupBy is required' })
  @IsIn(GROUP_KINDS, { message: `groupBy must be one of ${GROUP_KINDS.join(', ')}` })
  groupBy: EvaluationGroupKind | StageGroupKind;
}

/** `GET /api/v1/evaluation/trends`: a period, optionally one street and one category. */
export class TrendsQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ example: '410104001', description: 'only this street (9-digit code) / 街道' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'street must be a 9-digit street code / 街道编码应为9位数字' })
  street?: string;

  @ApiPropertyOptional({ example: 'E0102', description: 'only this category / 类别' })
  @IsOptional()
  @Matches(/^[CE]\d{4}$/, { message: 'category must be a category code such as E0102 / 类别编码无效' })
  category?: string;
}

export class CreateAppealDto {
  @ApiProperty({ description: 'the overdue case / 超期案卷' })
  @IsDefined({ message: 'caseId is required' })
  @IsUUID('all', { message: 'caseId must be a case id (UUID)' })
  caseId: string;

  @ApiProperty({ maxLength: 1000, description: 'why the overdue mark is unfair / 申诉理由' })
  @IsDefined({ message: 'reason is required' })
  @IsString()
  @Length(1, 1000)
  @NoHtml()
  reason: string;
}

export class AppealDecisionDto {
  @ApiProperty({ description: 'true: approve (the case leaves the timeliness metrics); false: reject / 是否通过' })
  @IsDefined({ message: 'approved is required' })
  @IsBoolean({ message: 'approved must be true or false' })
  approved: boolean;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  @NoHtml()
  note?: string;
}

export class AppealListQueryDto {
  @ApiPropertyOptional({ enum: APPEAL_STATUSES })
  @IsOptional()
  @IsIn(APPEAL_STATUSES, { message: `status must be one of ${APPEAL_STATUSES.join(', ')}` })
  status?: AppealStatus;
}
