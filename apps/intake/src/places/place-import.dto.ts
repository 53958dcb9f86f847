import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { COORD_SYSTEMS, type CoordSystem } from '@wangge/domain';

/** A places file at most (2000 places with polygons fit). */
export const PLACES_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
const FLAGS = ['true', 'false'] as const;

/**
 * `POST /api/v1/places/import`: the file as multipart `file` (with the form fields below), or as JSON
 * `{name, content}` like the admin imports.
 */
export class ImportPlacesDto {
  @ApiPropertyOptional({ description: 'JSON only: names the file in the problems (its extension .geojson/.json tells GeoJSON; otherwise the content does)', example: 'places.csv' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  name?: string;

  @ApiPropertyOptional({ description: 'JSON only: the file as UTF-8 text, a GeoJSON FeatureCollection or the places CSV' })
  @IsOptional()
  @IsString({ message: 'content must be the file as text' })
  @MaxLength(PLACES_IMPORT_MAX_BYTES, { message: `content: at most ${PLACES_IMPORT_MAX_BYTES} characters` })
  content?: string;

  @ApiPropertyOptional({ enum: COORD_SYSTEMS, default: 'wgs84', description: 'the coordinates of the file (GCJ-02 from AMap, BD-09 from Baidu), converted to WGS84' })
  @IsOptional()
  @IsIn(COORD_SYSTEMS, { message: `coordSystem must be one of ${COORD_SYSTEMS.join(', ')}` })
  coordSystem?: CoordSystem;

  @ApiPropertyOptional({ enum: FLAGS, description: 'as the query parameter, for a form' })
  @IsOptional()
  @IsIn(FLAGS, { message: 'dryRun must be true or false' })
  dryRun?: (typeof FLAGS)[number];
}

export class ImportPlacesQueryDto {
  @ApiPropertyOptional({ enum: FLAGS, default: 'false', description: 'true: what the import would do and its problems; nothing is written' })
  @IsOptional()
  @IsIn(FLAGS, { message: 'dryRun must be true or false' })
  dryRun?: (typeof FLAGS)[number];

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: every problem as CSV, for a spreadsheet' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be one of json, csv' })
  format?: 'json' | 'csv';
}
