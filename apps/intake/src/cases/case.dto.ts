import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CASE_STATUSES, COORD_SYSTEMS, RETURN_REASON_TYPES, type CaseStatus, type CoordSystem } from '@wangge/domain';
import { NoHtml } from '@wangge/operations';
import { CASE_SORTS, type CaseSort } from '@wangge/workflow';
import { DEPARTMENT_CODE } from '../admin/departments.dto';

const FINITE = { allowNaN: false, allowInfinity: false } as const;

export class LngLatDto {
  @ApiProperty({ example: 113.6795, description: 'longitude / 经度' })
  @IsNumber(FINITE, { message: 'lng must be a finite number' })
  @Min(-180)
  @Max(180)
  lng: number;

  @ApiProperty({ example: 34.7485, description: 'latitude / 纬度' })
  @IsNumber(FINITE, { message: 'lat must be a finite number' })
  @Min(-90)
  @Max(90)
  lat: number;
}

export class ReporterDto {
  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  @NoHtml()
  name?: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{4,19}$/, { message: 'phone must be a telephone number (digits, spaces, dashes, optional +)' })
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email?: string;
}

/** `POST /api/v1/cases` (domain.md 4.3). */
export class ReportCaseDto {
  @ApiProperty({ example: 'E0102', description: 'category code: kind prefix C/E + major + minor / 类别编码' })
  @IsString()
  @Matches(/^[CE]\d{4}$/, { message: 'categoryCode must be C or E followed by 4 digits, e.g. E0102' })
  categoryCode: string;

  @ApiProperty({ maxLength: 2000, example: '路边有暴露垃圾 / garbage on the kerb' })
  @IsString()
  @Length(1, 2000)
  @NoHtml()
  description: string;

  @ApiProperty({ type: LngLatDto })
  @IsDefined()
  @IsObject({ message: 'location must be an object {lng, lat}' })
  @ValidateNested()
  @Type(() => LngLatDto)
  location: LngLatDto;

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

  @ApiPropertyOptional({ description: 'channel label: app, wechat, web, 12345, hotline…', example: 'wechat' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_-]{1,32}$/, { message: 'source must be a short lowercase label (a-z, 0-9, _ and -)' })
  source?: string;

  @ApiPropertyOptional({ type: [String], description: 'ids from POST /api/v1/media' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsUUID('all', { each: true, message: 'each of mediaIds must be a media id (UUID)' })
  mediaIds?: string[];

  @ApiPropertyOptional({ type: ReporterDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReporterDto)
  reporter?: ReporterDto;

  @ApiPropertyOptional({ description: 'registration condition (立案条件) number; default 1' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99)
  conditionNo?: number;
}

/** `POST /api/v1/cases/:id/<action>`. Which fields an action needs is checked by the workflow. */
export class CaseActionDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  @NoHtml()
  reason?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @NoHtml()
  note?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsUUID('all', { each: true, message: 'each of mediaIds must be a media id (UUID)' })
  mediaIds?: string[];

  @ApiPropertyOptional({ description: 'dispatch: the road chief id' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  assigneeId?: number;

  @ApiPropertyOptional({
    example: 'GAS',
    description:
      'dispatch by hand to a department (active, handling the case’s category; else 422 naming departmentCode); the chief of assigneeId, else the road chief routing names there, coordinates / 派遣至部门',
  })
  @IsOptional()
  @IsString({ message: 'departmentCode must be a department code' })
  @Matches(DEPARTMENT_CODE, { message: 'departmentCode must be 1-32 letters, digits, _ or -' })
  departmentCode?: string;

  @ApiPropertyOptional({ description: 'verify: did the fix (or the report) check out' })
  @IsOptional()
  @IsBoolean()
  passed?: boolean;

  @ApiPropertyOptional({ description: 'extend: hours on the case clock' })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0.5)
  @Max(720)
  hours?: number;

  @ApiPropertyOptional({ description: 'merge: the case this one duplicates' })
  @IsOptional()
  @IsUUID('all')
  targetId?: string;

  @ApiPropertyOptional({ description: 'return: why (回退类型); absent: other, which needs the reason', enum: RETURN_REASON_TYPES })
  // Checked against the list by the workflow (422 naming reasonType), whatever its JSON type.
  @Allow()
  reasonType?: string;

  @ApiPropertyOptional({ description: 'register: registration condition number' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99)
  conditionNo?: number;

  @ApiPropertyOptional({ description: 'suspend (挂账): when the case comes back, ISO 8601 with its zone, at most a year ahead', example: '2027-03-01T08:00:00+08:00' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/, { message: 'until must be an ISO 8601 date-time with its zone, e.g. 2027-03-01T08:00:00+08:00' })
  until?: string;

  @ApiPropertyOptional({ type: LngLatDto, description: 'place: the point of a case reported by address only / 定位' })
  @IsOptional()
  @IsObject({ message: 'location must be an object {lng, lat}' })
  @ValidateNested()
  @Type(() => LngLatDto)
  location?: LngLatDto;

  @ApiPropertyOptional({ enum: COORD_SYSTEMS, default: 'wgs84', description: 'place: the coordinate system of location' })
  @IsOptional()
  @IsIn(COORD_SYSTEMS)
  coordSystem?: CoordSystem;
}

const splitList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** `GET /api/v1/cases` filters. */
export class CaseListQueryDto {
  @ApiPropertyOptional({ description: 'comma-separated statuses', example: 'dispatched,in_progress' })
  @IsOptional()
  @Transform(splitList)
  @IsIn(CASE_STATUSES, { each: true, message: `status must be a comma-separated list of ${CASE_STATUSES.join(', ')}` })
  status?: CaseStatus[];

  @ApiPropertyOptional({ example: 'E0102' })
  @IsOptional()
  @Matches(/^[CE]\d{4}$/, { message: 'category must be a category code such as E0102' })
  category?: string;

  @ApiPropertyOptional({ example: '410104001' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'street must be a 9-digit street code' })
  street?: string;

  @ApiPropertyOptional({ example: '410104001001' })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'community must be a 12-digit community code' })
  community?: string;

  @ApiPropertyOptional({ description: 'road chief id' })
  @IsOptional()
  @Transform(toNumber)
  @IsInt({ message: 'assignee must be a road chief id' })
  @Min(1)
  assignee?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'true: only cases with an extension asked for and not yet decided (待审批延期)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'extensionRequested must be true or false' })
  extensionRequested?: boolean;
  @ApiPropertyOptional({ description: '挂账: true lists only suspended cases, false only the others' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'suspended must be true or false' })
  suspended?: boolean;

  @ApiPropertyOptional({ example: '113.66,34.72,113.70,34.76' })
  @IsOptional()
  @Matches(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, { message: 'bbox must be minLng,minLat,maxLng,maxLat' })
  bbox?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, reported at or after' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, reported before' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ enum: CASE_SORTS, default: 'created', description: 'created: newest first; light: traffic light, red first, then by share of the limit used' })
  @IsOptional()
  @IsIn(CASE_SORTS, { message: `sort must be one of ${CASE_SORTS.join(', ')}` })
  sort?: CaseSort;
}

export class TrackingQueryDto {
  @ApiPropertyOptional({ description: 'the tracking token a report answered with (anonymous reporters)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{16,64}$/, { message: 'trackingToken is not a tracking token' })
  trackingToken?: string;
}
