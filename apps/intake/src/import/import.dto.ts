import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { COORD_SYSTEMS, IMPORT_KINDS, REPLACEABLE_LAYERS, type CoordSystem, type ImportKind, type ReplaceableLayer } from '@wangge/import';

export const IMPORT_ANSWER_FORMATS = ['json', 'csv'] as const;

export class ImportFileDto {
  @ApiProperty({ example: 'cells.geojson', description: 'names the file in the report and in problems' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name: string;

  @ApiPropertyOptional({ enum: IMPORT_KINDS, description: 'default: detected (GeoJSON polygons = cells, lines = roads, CSV = chiefs)' })
  @IsOptional()
  @IsIn(IMPORT_KINDS, { message: `kind must be one of ${IMPORT_KINDS.join(', ')}` })
  kind?: ImportKind;

  @ApiProperty({ description: 'the file as UTF-8 text: a GeoJSON FeatureCollection or the chiefs CSV (domain.md 4.6)' })
  @IsString()
  content: string;
}

export class ImportRequestDto {
  @ApiProperty({ type: [ImportFileDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ImportFileDto)
  files: ImportFileDto[];

  @ApiPropertyOptional({ description: 'load the good records and report the bad ones instead of refusing the import', default: false })
  @IsOptional()
  @IsBoolean()
  skipInvalid?: boolean;

  @ApiPropertyOptional({ enum: COORD_SYSTEMS, default: 'wgs84', description: 'coordinate system of the files; converted to WGS84' })
  @IsOptional()
  @IsIn(COORD_SYSTEMS, { message: `coord must be one of ${COORD_SYSTEMS.join(', ')}` })
  coord?: CoordSystem;

  @ApiPropertyOptional({
    enum: REPLACEABLE_LAYERS,
    nullable: true,
    description: 're-zoning (调整网格): the files of this kind are the whole layer; live cells or segments they do not list are retired',
  })
  @IsOptional()
  @IsIn(REPLACEABLE_LAYERS, { message: `replace must be one of ${REPLACEABLE_LAYERS.join(', ')}` })
  replace?: ReplaceableLayer | null;

  @ApiPropertyOptional({ description: 'check and plan only: the report of what the import would do; nothing is written', default: false })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class ImportCountsDto {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() skipped: number;
}

export class ImportProblemDto {
  @ApiProperty({ example: 'cells.geojson' }) file: string;
  @ApiProperty({ example: 'features[12] (code 410104001001003)' }) feature: string;
  @ApiProperty({ example: 'invalid geometry: Self-intersection[113.68 34.74]' }) problem: string;
}

export class ProblemGroupDto {
  @ApiProperty({ example: 'missing property name', description: 'the problem, with what varies from record to record written …' }) problem: string;
  @ApiProperty({ example: 758 }) count: number;
  @ApiProperty({ type: [ImportProblemDto], description: 'the first five records with this problem' }) examples: ImportProblemDto[];
}

/** `?format=csv`: the problems (refused or skipped records) as CSV instead of JSON. */
export class ImportQueryDto {
  @ApiPropertyOptional({ enum: IMPORT_ANSWER_FORMATS, default: 'json', description: 'csv: every refused (422) or skipped (200) record as CSV, for a spreadsheet' })
  @IsOptional()
  @IsIn(IMPORT_ANSWER_FORMATS, { message: `format must be one of ${IMPORT_ANSWER_FORMATS.join(', ')}` })
  format?: (typeof IMPORT_ANSWER_FORMATS)[number];
}

export class ImportFileSummaryDto {
  @ApiProperty() name: string;
  @ApiProperty({ enum: IMPORT_KINDS, nullable: true }) kind: ImportKind | null;
  @ApiProperty({ description: 'features or CSV data lines' }) records: number;
}

export class ImportCreatedDto {
  @ApiProperty() streets: number;
  @ApiProperty() communities: number;
  @ApiProperty() roads: number;
  @ApiProperty() users: number;
}

export class ImportRetiredDto {
  @ApiProperty({ description: 'live cells a replacing cells file no longer lists' }) cells: number;
  @ApiProperty({ description: 'live segments the files no longer list (of the imported roads; replacing: of every road)' }) segments: number;
}

export class ImportWardenCellsDto {
  @ApiProperty({ description: 'live cells given to the wardens of retired cells that they overlap' }) added: number;
}

export class ImportCasesDto {
  @ApiProperty({ description: 'open cases now in another cell (case.relocated)' }) relocated: number;
  @ApiProperty({ description: 'open cases whose responsible chief changed: routed again by the dispatcher' }) rerouted: number;
}

export class OrphanedScopeChiefDto {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiProperty() level: number;
}

export class OrphanedScopeDto {
  @ApiProperty() chief: OrphanedScopeChiefDto;
  @ApiProperty({ enum: ['road', 'segment', 'community', 'street'] }) kind: 'road' | 'segment' | 'community' | 'street';
  @ApiProperty({ description: 'roadId, segmentId, community or street code' }) ref: string;
  @ApiProperty() name: string;
  @ApiProperty() problem: string;
}

export class ImportReportDto {
  @ApiProperty({ description: 'false for a dry run: nothing was written' }) applied: boolean;
  @ApiProperty({ enum: REPLACEABLE_LAYERS, nullable: true }) replace: ReplaceableLayer | null;
  @ApiProperty({ type: [ImportFileSummaryDto] }) files: ImportFileSummaryDto[];
  @ApiProperty({ description: 'grid cells' }) cells: ImportCountsDto;
  @ApiProperty({ description: 'road segments (skipped: features)' }) roads: ImportCountsDto;
  @ApiProperty({ description: 'chiefs (skipped: CSV lines)' }) chiefs: ImportCountsDto;
  @ApiProperty() created: ImportCreatedDto;
  @ApiProperty() retired: ImportRetiredDto;
  @ApiProperty() wardenCells: ImportWardenCellsDto;
  @ApiProperty() cases: ImportCasesDto;
  @ApiProperty({ type: [OrphanedScopeDto], description: "chiefs' scopes left with no live segment or cell" }) orphanedScopes: OrphanedScopeDto[];
  @ApiProperty({ type: [ImportProblemDto], description: 'records not loaded, with the reason' }) skipped: ImportProblemDto[];
  @ApiProperty({ type: [ProblemGroupDto], description: 'the skipped records grouped by problem, the largest group first' }) skippedGroups: ProblemGroupDto[];
}
