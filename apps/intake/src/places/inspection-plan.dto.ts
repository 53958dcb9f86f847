import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { COORD_SYSTEMS, type CoordSystem } from '@wangge/domain';
import { PLACE_KINDS, type PlaceKind } from '@wangge/places';
import { VersionedPeriodQueryDto } from '../evaluation/evaluation.dto';
import { LngLatDto } from '../cases/case.dto';

/** `POST /api/v1/inspection-plans` (domain.md 8): places by id or by kind. */
export class CreateInspectionPlanDto {
  @ApiProperty({ description: 'a checklist version (GET /api/v1/checklists)' })
  @IsUUID('all', { message: 'checklistId must be a checklist id (UUID)' })
  checklistId: string;

  @ApiPropertyOptional({ type: [String], description: 'the places (or placeKind)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true, message: 'placeIds must be place ids (UUID)' })
  placeIds?: string[];

  @ApiPropertyOptional({ enum: PLACE_KINDS, description: 'every place of this kind in your jurisdiction (or placeIds)' })
  @IsOptional()
  @IsIn(PLACE_KINDS, { message: `placeKind must be one of ${PLACE_KINDS.join(', ')}` })
  placeKind?: PlaceKind;

  @ApiProperty({ example: 'PT4H', description: 'ISO 8601 duration (PT4H, P1D): continuous time, holidays do not pause it' })
  @IsString()
  @Length(2, 20)
  every: string;

  @ApiProperty({ example: '2026-12-07T08:00:00+08:00' })
  @IsString()
  @Length(10, 40)
  from: string;

  @ApiPropertyOptional({ example: '2026-12-31T20:00:00+08:00' })
  @IsOptional()
  @IsString()
  @Length(10, 40)
  to?: string;

  @ApiPropertyOptional({ type: [String], description: "who inspects (default: each place's responsible person)" })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'assigneeIds must be user ids (UUID)' })
  assigneeIds?: string[];
}

/** `PATCH /api/v1/inspection-plans/:id`: places (plans by id), assignees (null: each place's responsible person), end (null: open-ended). */
export class UpdateInspectionPlanDto {
  @ApiPropertyOptional({ type: [String], description: 'places to add (a plan by id); their current slot becomes due at once' })
  @IsOptional()
  @IsArray({ message: 'addPlaceIds must be an array of place ids' })
  @ArrayMinSize(1, { message: 'addPlaceIds must name at least one place' })
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true, message: 'addPlaceIds must be place ids (UUID)' })
  addPlaceIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'places to remove (a plan by id); their open due inspections are cancelled' })
  @IsOptional()
  @IsArray({ message: 'removePlaceIds must be an array of place ids' })
  @ArrayMinSize(1, { message: 'removePlaceIds must name at least one place' })
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true, message: 'removePlaceIds must be place ids (UUID)' })
  removePlaceIds?: string[];

  @ApiPropertyOptional({ type: [String], nullable: true, description: "who inspects from now on, open due inspections included (null: each place's responsible person)" })
  @IsOptional()
  @IsArray({ message: 'assigneeIds must be an array of user ids, or null' })
  @ArrayMinSize(1, { message: 'assigneeIds must name at least one person, or be null' })
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'assigneeIds must be user ids (UUID)' })
  assigneeIds?: string[] | null;

  @ApiPropertyOptional({ example: '2027-01-31T20:00:00+08:00', nullable: true, description: 'the new end, after now (null: open-ended)' })
  @IsOptional()
  @IsString({ message: 'to must be a date-time, or null' })
  @Length(10, 40)
  to?: string | null;
}

export class InspectionPlanQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'active must be true or false' })
  active?: 'true' | 'false';
}

export class InspectionEvaluationQueryDto extends VersionedPeriodQueryDto {
  @ApiPropertyOptional({ enum: ['person', 'street'], default: 'person' })
  @IsOptional()
  @IsIn(['person', 'street'], { message: 'groupBy must be person or street' })
  groupBy?: 'person' | 'street';
}

export class DutyShiftDto {
  @ApiProperty({ example: '2026-12-07T20:00:00+08:00' })
  @IsString()
  @Length(10, 40)
  from: string;

  @ApiProperty({ example: '2026-12-08T08:00:00+08:00' })
  @IsString()
  @Length(10, 40)
  to: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true, message: 'userIds must be user ids (UUID)' })
  userIds: string[];
}

/** `POST /api/v1/duty-rosters`. */
export class CreateDutyRosterDto {
  @ApiProperty()
  @IsUUID('all', { message: 'placeId must be a place id (UUID)' })
  placeId: string;

  @ApiProperty({ type: [DutyShiftDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => DutyShiftDto)
  shifts: DutyShiftDto[];
}

/** `POST /api/v1/duty/check-in`. */
export class DutyCheckInDto {
  @ApiProperty()
  @IsUUID('all', { message: 'placeId must be a place id (UUID)' })
  placeId: string;

  @ApiProperty({ type: LngLatDto })
  @IsDefined()
  @IsObject({ message: 'location must be an object {lng, lat}' })
  @ValidateNested()
  @Type(() => LngLatDto)
  location: LngLatDto;

  @ApiPropertyOptional({ enum: COORD_SYSTEMS, default: 'wgs84' })
  @IsOptional()
  @IsIn(COORD_SYSTEMS)
  coordSystem?: CoordSystem;
}
