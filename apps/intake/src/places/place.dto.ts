import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { COORD_SYSTEMS, type CoordSystem } from '@wangge/domain';
import { NoHtml } from '@wangge/operations';
import { PLACE_KINDS, type PlaceKind } from '@wangge/places';
import { LngLatDto } from '../cases/case.dto';

export class PlaceOwnerDto {
  @ApiProperty({ maxLength: 50, example: '中建某局项目部' })
  @IsString()
  @Length(1, 50)
  @NoHtml()
  name: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{4,19}$/, { message: 'owner.phone must be a telephone number (digits, spaces, dashes, optional +)' })
  phone?: string;
}

/** `POST /api/v1/places` (domain.md 8). The geometry is checked by the places lib (GeoJSON Point or Polygon). */
export class CreatePlaceDto {
  @ApiProperty({ enum: PLACE_KINDS })
  @IsIn(PLACE_KINDS, { message: `kind must be one of ${PLACE_KINDS.join(', ')}` })
  kind: PlaceKind;

  @ApiProperty({ maxLength: 200, example: '紫荆山路某工地' })
  @IsString()
  @Length(1, 200)
  @NoHtml()
  name: string;

  @ApiProperty({ description: 'GeoJSON Point or Polygon', example: { type: 'Point', coordinates: [113.68, 34.75] } })
  @IsDefined()
  @IsObject({ message: 'geometry must be a GeoJSON Point or Polygon object' })
  geometry: Record<string, unknown>;

  @ApiPropertyOptional({ enum: COORD_SYSTEMS, default: 'wgs84', description: 'gcj02: Amap/WeChat, bd09: Baidu' })
  @IsOptional()
  @IsIn(COORD_SYSTEMS)
  coordSystem?: CoordSystem;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NoHtml()
  address?: string;

  @ApiPropertyOptional({ type: PlaceOwnerDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PlaceOwnerDto)
  owner?: PlaceOwnerDto;

  @ApiPropertyOptional({ description: 'the responsible person (分包领导/责任人): a user id' })
  @IsOptional()
  @IsUUID('all', { message: 'responsibleId must be a user id (UUID)' })
  responsibleId?: string;
}

/** `PATCH /api/v1/places/:id`: any of the fields; null clears address, owner or responsibleId. */
export class UpdatePlaceDto {
  @ApiPropertyOptional({ enum: PLACE_KINDS })
  @IsOptional()
  @IsIn(PLACE_KINDS, { message: `kind must be one of ${PLACE_KINDS.join(', ')}` })
  kind?: PlaceKind;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NoHtml()
  name?: string;

  @ApiPropertyOptional({ description: 'GeoJSON Point or Polygon' })
  @IsOptional()
  @IsObject({ message: 'geometry must be a GeoJSON Point or Polygon object' })
  geometry?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: COORD_SYSTEMS })
  @IsOptional()
  @IsIn(COORD_SYSTEMS)
  coordSystem?: CoordSystem;

  @ApiPropertyOptional({ maxLength: 200, nullable: true })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @Length(1, 200)
  @NoHtml()
  address?: string | null;

  @ApiPropertyOptional({ type: PlaceOwnerDto, nullable: true })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => PlaceOwnerDto)
  owner?: PlaceOwnerDto | null;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID('all', { message: 'responsibleId must be a user id (UUID)' })
  responsibleId?: string | null;
}

export class PlaceQueryDto {
  @ApiPropertyOptional({ enum: PLACE_KINDS })
  @IsOptional()
  @IsIn(PLACE_KINDS, { message: `kind must be one of ${PLACE_KINDS.join(', ')}` })
  kind?: PlaceKind;

  @ApiPropertyOptional({ example: '113.6,34.7,113.8,34.8', description: 'minLng,minLat,maxLng,maxLat' })
  @IsOptional()
  @IsString()
  bbox?: string;
}

export class ChecklistItemDto {
  @ApiProperty({ example: 'hoarding', description: 'lowercase letters, digits and -, unique in the list' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'code must be 1-40 lowercase letters, digits and - (e.g. hoarding)' })
  code: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @NoHtml()
  text: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NoHtml()
  textEn?: string;

  @ApiProperty({ example: 'E0302', description: 'the category a failure of this item opens' })
  @IsString()
  @Matches(/^[CE]\d{4}$/, { message: 'categoryCode must be C or E followed by 4 digits, e.g. E0302' })
  categoryCode: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  photoRequired?: boolean;
}

/** `POST /api/v1/checklists`: a list under a name that exists with other items is its next version. */
export class CreateChecklistDto {
  @ApiProperty({ maxLength: 200, example: '工地"8个100%"' })
  @IsString()
  @Length(1, 200)
  @NoHtml()
  name: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NoHtml()
  nameEn?: string;

  @ApiProperty({ type: [ChecklistItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ChecklistItemDto)
  items: ChecklistItemDto[];
}

export class ItemResultDto {
  @ApiProperty({ example: 'hoarding' })
  @IsString()
  @Length(1, 40)
  code: string;

  @ApiProperty()
  @IsBoolean({ message: 'passed must be true or false' })
  passed: boolean;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @NoHtml()
  note?: string;

  @ApiPropertyOptional({ type: [String], description: 'ids from POST /api/v1/media' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsUUID('all', { each: true, message: 'each of mediaIds must be a media id (UUID)' })
  mediaIds?: string[];
}

/** `POST /api/v1/inspections` (Idempotency-Key: a retry answers the first record). */
export class CreateInspectionDto {
  @ApiProperty()
  @IsUUID('all', { message: 'placeId must be a place id (UUID)' })
  placeId: string;

  @ApiProperty()
  @IsUUID('all', { message: 'checklistId must be a checklist id (UUID)' })
  checklistId: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'planId must be a plan id (UUID)' })
  planId?: string;

  @ApiProperty({ type: LngLatDto, description: 'where the inspector stands' })
  @IsDefined()
  @IsObject({ message: 'location must be an object {lng, lat}' })
  @ValidateNested()
  @Type(() => LngLatDto)
  location: LngLatDto;

  @ApiPropertyOptional({ enum: COORD_SYSTEMS, default: 'wgs84' })
  @IsOptional()
  @IsIn(COORD_SYSTEMS)
  coordSystem?: CoordSystem;

  @ApiProperty({ type: [ItemResultDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ItemResultDto)
  results: ItemResultDto[];
}

/** `?placeId=`: one place's records (inspections, duty rosters). */
export class PlaceFilterDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'placeId must be a place id (UUID)' })
  placeId?: string;
}
