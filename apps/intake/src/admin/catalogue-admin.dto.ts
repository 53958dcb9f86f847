import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CATEGORY_KINDS, CLOCK_TYPES, type CategoryKind, type ClockType } from '@wangge/domain';
import { NoHtml } from '@wangge/operations';

const LOCAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class TimeLimitDto {
  @ApiProperty({ example: 2, description: 'the limit on its clock / 时限' })
  @IsDefined({ message: 'value is required' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }, { message: 'value must be a number' })
  @Min(0.01, { message: 'value must be more than 0' })
  @Max(999_999, { message: 'value must be at most 999999' })
  value: number;

  @ApiProperty({ enum: CLOCK_TYPES })
  @IsDefined({ message: 'clockType is required' })
  @IsIn(CLOCK_TYPES, { message: `clockType must be one of ${CLOCK_TYPES.join(', ')}` })
  clockType: ClockType;
}

export class ConditionDto {
  @ApiProperty({ example: '井盖缺失', description: '立案条件' })
  @IsDefined({ message: 'condition is required' })
  @IsString()
  @Length(1, 500)
  @NoHtml()
  condition: string;

  @ApiProperty({ example: 'Cover missing' })
  @IsDefined({ message: 'conditionEn is required' })
  @IsString()
  @Length(1, 500)
  @NoHtml()
  conditionEn: string;

  @ApiProperty({ type: TimeLimitDto })
  @IsDefined({ message: 'timeLimit is required' })
  @ValidateNested()
  @Type(() => TimeLimitDto)
  timeLimit: TimeLimitDto;

  @ApiProperty({ example: '井盖已补齐', description: '结案条件' })
  @IsDefined({ message: 'closingCondition is required' })
  @IsString()
  @Length(1, 500)
  @NoHtml()
  closingCondition: string;

  @ApiProperty({ example: 'Cover replaced' })
  @IsDefined({ message: 'closingConditionEn is required' })
  @IsString()
  @Length(1, 500)
  @NoHtml()
  closingConditionEn: string;
}

/** A new standard version: its conditions (numbered 1, 2, … in order) and the date it takes effect. */
export class StandardDto {
  @ApiProperty({ example: '2026-12-07', description: 'the district date it takes effect, today or later / 生效日期' })
  @IsDefined({ message: 'effectiveFrom is required' })
  @IsString({ message: 'effectiveFrom must be a date YYYY-MM-DD' })
  @Matches(LOCAL_DATE, { message: 'effectiveFrom must be a date YYYY-MM-DD' })
  effectiveFrom: string;

  @ApiProperty({ type: [ConditionDto] })
  @IsDefined({ message: 'conditions is required' })
  @IsArray({ message: 'conditions must be an array' })
  @ArrayMinSize(1, { message: 'conditions must have at least one condition' })
  @ArrayMaxSize(20, { message: 'conditions may have at most 20 conditions' })
  @ValidateNested({ each: true })
  @Type(() => ConditionDto)
  conditions: ConditionDto[];
}

export class CreateCategoryDto {
  @ApiProperty({ example: 'E0199', description: 'kind prefix (C 部件, E 事件) + major + minor / 编码' })
  @IsDefined({ message: 'code is required' })
  @IsString()
  @Matches(/^[CE]\d{4}$/, { message: 'code must be C or E and 4 digits, e.g. E0102' })
  code: string;

  @ApiProperty({ enum: CATEGORY_KINDS })
  @IsDefined({ message: 'kind is required' })
  @IsIn(CATEGORY_KINDS, { message: `kind must be one of ${CATEGORY_KINDS.join(', ')}` })
  kind: CategoryKind;

  @ApiProperty({ example: '01', description: '大类 (2 digits)' })
  @IsDefined({ message: 'majorCode is required' })
  @IsString()
  @Matches(/^\d{2}$/, { message: 'majorCode must be 2 digits' })
  majorCode: string;

  @ApiPropertyOptional({ description: 'name of a new major class (else the class keeps its name) / 大类名称' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoHtml()
  majorName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoHtml()
  majorNameEn?: string;

  @ApiProperty({ example: '99', description: '小类 (2 digits)' })
  @IsDefined({ message: 'minorCode is required' })
  @IsString()
  @Matches(/^\d{2}$/, { message: 'minorCode must be 2 digits' })
  minorCode: string;

  @ApiProperty({ example: '占道晾晒' })
  @IsDefined({ message: 'name is required' })
  @IsString()
  @Length(1, 100)
  @NoHtml()
  name: string;

  @ApiProperty({ example: 'Drying clothes on the road' })
  @IsDefined({ message: 'nameEn is required' })
  @IsString()
  @Length(1, 100)
  @NoHtml()
  nameEn: string;

  @ApiPropertyOptional({ default: true, description: "wardens' reports register themselves / 自动立案" })
  @IsOptional()
  @IsBoolean({ message: 'autoRegister must be true or false' })
  autoRegister?: boolean;

  @ApiPropertyOptional({ type: StandardDto, description: 'its first standard (version 1); or add it later / 首个立结案标准' })
  @IsOptional()
  @ValidateNested()
  @Type(() => StandardDto)
  standard?: StandardDto;
}

export class UpdateCategoryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoHtml()
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoHtml()
  nameEn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'autoRegister must be true or false' })
  autoRegister?: boolean;

  @ApiPropertyOptional({ description: 'false: hidden from reporting and Open311 services; old cases stay readable / 停用' })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
