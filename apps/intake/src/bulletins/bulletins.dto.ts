import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { BULLETIN_KINDS, type BulletinKind } from '@wangge/bulletins';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class BulletinListQueryDto {
  @ApiPropertyOptional({ enum: BULLETIN_KINDS })
  @IsOptional()
  @IsIn(BULLETIN_KINDS, { message: 'kind must be daily or weekly / 类型应为 daily 或 weekly' })
  kind?: BulletinKind;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'local date: periods starting on or after it' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD / 日期格式应为 YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'local date: periods starting on or before it' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD / 日期格式应为 YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class BulletinReadQueryDto {
  @ApiPropertyOptional({ description: 'an earlier revision of the period (default: the latest)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'revision must be a whole number from 1' })
  @Min(1, { message: 'revision must be a whole number from 1' })
  @Max(100_000)
  revision?: number;
}

export class HotspotQueryDto {
  @ApiPropertyOptional({ example: '2026-03-01', description: 'ISO date or date-time (local when no zone): re-reports from it; default: HOTSPOT_WINDOW_DAYS ago' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'ISO date or date-time: re-reports before it; default: now' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional({ example: '113.67,34.73,113.69,34.75', description: 'minLng,minLat,maxLng,maxLat (WGS84)' })
  @IsOptional()
  @Matches(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, { message: 'bbox must be minLng,minLat,maxLng,maxLat' })
  bbox?: string;

  @ApiPropertyOptional({ default: 1000, maximum: 5000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(5000)
  limit?: number;
}
