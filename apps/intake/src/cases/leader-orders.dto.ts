import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsISO8601, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { NoHtml } from '@wangge/operations';
import { LngLatDto } from './case.dto';

/** `POST /api/v1/cases/:id/supervise` (督办). */
export class SuperviseDto {
  @ApiProperty({ maxLength: 1000, example: '请于今日下班前处置完毕 / fix it before the end of today' })
  @IsString()
  @Length(1, 1000)
  @NoHtml()
  instruction: string;

  @ApiPropertyOptional({ description: 'when the leader wants it done (ISO 8601, in the future) / 督办期限', example: '2026-12-08T18:00:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'dueAt must be an ISO 8601 date-time' })
  dueAt?: string;
}

/** `POST /api/v1/cases/:id/instruct` (批示). */
export class InstructDto {
  @ApiProperty({ maxLength: 1000, example: '请城管局牵头，一周内整改到位' })
  @IsString()
  @Length(1, 1000)
  @NoHtml()
  instruction: string;
}

/** `POST /api/v1/instructions`: a leader's own case (批示件). */
export class InstructionCaseDto {
  @ApiProperty({ maxLength: 2000, example: '紫荆山路口积水严重，请立即处置' })
  @IsString()
  @Length(1, 2000)
  @NoHtml()
  text: string;

  @ApiProperty({ type: LngLatDto })
  @IsDefined()
  @IsObject({ message: 'location must be an object {lng, lat}' })
  @ValidateNested()
  @Type(() => LngLatDto)
  location: LngLatDto;

  @ApiProperty({ example: 'E0102', description: 'category code / 类别编码' })
  @IsString()
  @Matches(/^[CE]\d{4}$/, { message: 'categoryCode must be C or E followed by 4 digits, e.g. E0102' })
  categoryCode: string;
}
