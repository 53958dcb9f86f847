import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { DIVISION_LEVELS, MAX_TILE_ZOOM, type DivisionLevel } from '@wangge/geo';
import { ApiError } from '@wangge/operations';

export class LocateQueryDto {
  @ApiProperty({ example: 113.68, description: 'longitude, WGS84' })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lng must be a number (WGS84 longitude)' })
  @Min(-180)
  @Max(180)
  lng: number;

  @ApiProperty({ example: 34.74, description: 'latitude, WGS84' })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lat must be a number (WGS84 latitude)' })
  @Min(-90)
  @Max(90)
  lat: number;
}

const NUMBER = '-?\\d+(\\.\\d+)?';

export class BboxQueryDto {
  @ApiProperty({ example: '113.67,34.73,113.69,34.75', description: 'minLng,minLat,maxLng,maxLat (WGS84)' })
  @Matches(new RegExp(`^${NUMBER},${NUMBER},${NUMBER},${NUMBER}$`), { message: 'bbox must be minLng,minLat,maxLng,maxLat' })
  bbox: string;

  @ApiPropertyOptional({ default: 5000, maximum: 20000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20000)
  limit?: number;
}

export class OutlinesQueryDto {
  @ApiProperty({ enum: DIVISION_LEVELS, example: 'street', description: 'which divisions: the district, its streets or its communities' })
  @IsIn(DIVISION_LEVELS, { message: `level must be one of ${DIVISION_LEVELS.join(', ')} / 层级应为 ${DIVISION_LEVELS.join('、')} 之一` })
  level: DivisionLevel;
}

/** Parses z, x and `y.mvt` of a tile address; a 400 naming each bad field. */
export function parseTile(z: string, x: string, y: string): { z: number; x: number; y: number } {
  const problems: { field: string; problem: string }[] = [];
  const int = (v: string) => (/^\d{1,8}$/.test(v) ? Number(v) : NaN);
  const zoom = int(z);
  if (!(zoom <= MAX_TILE_ZOOM)) problems.push({ field: 'z', problem: `z must be an integer zoom 0..${MAX_TILE_ZOOM} / 缩放级别应为 0..${MAX_TILE_ZOOM} 的整数` });
  const row = y.endsWith('.mvt') ? int(y.slice(0, -4)) : NaN;
  const col = int(x);
  const size = Number.isNaN(zoom) || zoom > MAX_TILE_ZOOM ? Infinity : 2 ** zoom;
  if (!(col < size)) problems.push({ field: 'x', problem: `x must be an integer tile column 0..2^z-1 / 列号应为 0..2^z-1 的整数` });
  if (!y.endsWith('.mvt')) problems.push({ field: 'y', problem: 'y must be the tile row followed by .mvt / 行号后应带 .mvt' });
  else if (!(row < size)) problems.push({ field: 'y', problem: `y must be an integer tile row 0..2^z-1 / 行号应为 0..2^z-1 的整数` });
  if (problems.length) throw ApiError.badInput(problems, `bad tile address: ${problems.map((p) => p.field).join(', ')}`);
  return { z: zoom, x: col, y: row };
}
