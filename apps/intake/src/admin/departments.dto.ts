import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { NoHtml } from '@wangge/operations';

/** A department's code: letters, digits, _ and -, at most 32 (the case action's departmentCode too). */
export const DEPARTMENT_CODE = /^[A-Za-z0-9_-]{1,32}$/;
const CATEGORY = /^[CE]\d{4}$/;
const STREET = /^\d{9}$/;
const MAX_LIST = 200;

export class CreateDepartmentDto {
  @ApiProperty({ example: 'GAS', description: 'letters, digits, _ and -, at most 32 / 部门编码' })
  @IsDefined({ message: 'code is required' })
  @Matches(DEPARTMENT_CODE, { message: 'code must be 1-32 letters, digits, _ or -' })
  code: string;

  @ApiProperty({ example: '燃气公司' })
  @IsDefined({ message: 'name is required' })
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @NoHtml()
  name: string;

  @ApiProperty({ type: [String], example: ['E0301'], description: 'the categories it handles (active catalogue codes) / 处置类别' })
  @IsDefined({ message: 'categoryCodes is required' })
  @IsArray({ message: 'categoryCodes must be a list of category codes' })
  @ArrayMinSize(1, { message: 'categoryCodes must name at least one category' })
  @ArrayMaxSize(MAX_LIST, { message: `at most ${MAX_LIST} categories` })
  @Matches(CATEGORY, { each: true, message: 'each category code is C or E and 4 digits, e.g. E0102' })
  categoryCodes: string[];

  @ApiPropertyOptional({ type: [String], description: 'the streets it serves; none: the whole district / 服务街道' })
  @IsOptional()
  @IsArray({ message: 'streetCodes must be a list of street codes' })
  @ArrayMaxSize(MAX_LIST, { message: `at most ${MAX_LIST} streets` })
  @Matches(STREET, { each: true, message: 'each street code has 9 digits' })
  streetCodes?: string[];
}

export class UpdateDepartmentDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @NoHtml()
  name?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray({ message: 'categoryCodes must be a list of category codes' })
  @ArrayMinSize(1, { message: 'categoryCodes must name at least one category' })
  @ArrayMaxSize(MAX_LIST, { message: `at most ${MAX_LIST} categories` })
  @Matches(CATEGORY, { each: true, message: 'each category code is C or E and 4 digits, e.g. E0102' })
  categoryCodes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'empty: the whole district' })
  @IsOptional()
  @IsArray({ message: 'streetCodes must be a list of street codes' })
  @ArrayMaxSize(MAX_LIST, { message: `at most ${MAX_LIST} streets` })
  @Matches(STREET, { each: true, message: 'each street code has 9 digits' })
  streetCodes?: string[];

  @ApiPropertyOptional({ nullable: true, description: 'an active member of the department (role department); null: none / 部门负责人' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'leaderId must be a user id' })
  leaderId?: string | null;

  @ApiPropertyOptional({ description: 'false: routing sends it no more cases' })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
