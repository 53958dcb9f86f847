import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import { IsEmail, IsInt, IsNumber, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateIf, validateSync, type ValidationError } from 'class-validator';
import { CONDITION_ATTRIBUTE, Open311Error, type Open311Report } from '@wangge/open311';
import { NoHtml } from '../cases/no-html.validator';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : value);

/**
 * `POST requests` (GeoReport v2), form-encoded. Fields the specification defines and this
 * platform does not keep are accepted and described; anything else a client adds is ignored.
 */
export class Open311ReportDto {
  @ApiProperty({ description: 'an active key issued by the administrator' })
  @IsString()
  api_key: string;

  @ApiPropertyOptional({ example: '410104', description: 'the district code, or absent' })
  @IsOptional()
  @IsString()
  jurisdiction_id?: string;

  // Any text: a code that names no service answers 404, as the specification has it (not a format error).
  @ApiProperty({ example: 'E0102', description: 'category code, from services.json; an unknown one answers 404' })
  @IsString({ message: 'service_code is required (e.g. E0102)' })
  @MaxLength(32, { message: 'service_code must be at most 32 characters' })
  // A well-formed code no service has is 404 (the specification); anything else is not a code at all.
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'service_code must be a code of letters and digits, e.g. E0102 (see services.json)' })
  service_code: string;

  // class-validator runs a property's checks bottom-up: the type check sits last so that it runs
  // first, and `lat=abc` is told it is not a number, not that it is out of range.
  @ApiPropertyOptional({ example: 34.7485, description: 'WGS84 latitude; with long, or else address_string or address_id locates the request' })
  @Transform(toNumber)
  @ValidateIf((o: Open311ReportDto) => o.lat !== undefined || o.long !== undefined)
  @Min(-90, { message: 'lat must be between -90 and 90' })
  @Max(90, { message: 'lat must be between -90 and 90' })
  @IsNumber(FINITE, { message: 'lat must be a number (WGS84 latitude)' })
  lat?: number;

  @ApiPropertyOptional({ example: 113.6795, description: 'WGS84 longitude; with lat' })
  @Transform(toNumber)
  @ValidateIf((o: Open311ReportDto) => o.lat !== undefined || o.long !== undefined)
  @Min(-180, { message: 'long must be between -180 and 180' })
  @Max(180, { message: 'long must be between -180 and 180' })
  @IsNumber(FINITE, { message: 'long must be a number (WGS84 longitude)' })
  long?: number;

  @ApiPropertyOptional({ maxLength: 200, description: 'the address text; without lat/long it locates the request, and an operator places it on the map' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'address_string must be 1 to 200 characters' })
  @NoHtml()
  address_string?: string;

  @ApiPropertyOptional({ description: 'the client’s id of the address; kept, and without lat/long it locates the request (an operator places it)' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'address_id must be at most 100 characters' })
  @NoHtml()
  address_id?: string;

  @ApiPropertyOptional({ maxLength: 254 })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email?: string;

  @ApiPropertyOptional({ description: 'accepted and not kept' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'device_id must be at most 100 characters' })
  device_id?: string;

  @ApiPropertyOptional({ description: 'echoed back in the answer, not kept' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'account_id must be at most 100 characters' })
  account_id?: string;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @Length(1, 50, { message: 'first_name must be 1 to 50 characters' })
  @NoHtml()
  first_name?: string;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @Length(1, 50, { message: 'last_name must be 1 to 50 characters' })
  @NoHtml()
  last_name?: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{4,19}$/, { message: 'phone must be a telephone number (digits, spaces, dashes, optional +)' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 4000, description: 'what is wrong, in plain text (optional, up to 4,000 characters, as GeoReport v2 has it)' })
  @IsOptional()
  @IsString({ message: 'description must be text' })
  @MaxLength(4000, { message: 'description must be at most 4000 characters' })
  @NoHtml()
  description?: string;

  @ApiPropertyOptional({
    description:
      'a photo already uploaded with POST /api/v1/media (its URL, …/api/v1/media/<id>) is attached to the request; other URLs are not fetched nor kept',
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'media_url must be an http(s) URL' })
  @MaxLength(2048, { message: 'media_url must be at most 2048 characters' })
  media_url?: string;

  @ApiPropertyOptional({ name: 'attribute[condition]', description: 'registration condition number (see services/{code}.json); default 1' })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'attribute[condition] must be a condition number from the service definition' })
  @Min(1, { message: 'attribute[condition] must be a condition number from the service definition' })
  @Max(99, { message: 'attribute[condition] must be a condition number from the service definition' })
  condition?: number;
}

/** The form keys `attribute[<code>]` (read literally: the body parser does not nest them). */
const ATTRIBUTE_KEY = /^attribute\[([^\]]*)\]$/;

function problemsOf(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => Object.values(e.constraints ?? {}));
}

/**
 * Validates a `POST requests` body: empty form fields count as absent, `attribute[condition]`
 * is the one known attribute, the location must be coordinates. Every problem names its field
 * (400 in the GeoReport error format). Not the global pipe: Open311 clients send fields of their own.
 */
@Injectable()
export class Open311ReportPipe implements PipeTransform<unknown, Open311ReportDto> {
  transform(value: unknown): Open311ReportDto {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw Open311Error.badRequest('the body must be form-encoded fields (application/x-www-form-urlencoded)');
    }
    const plain: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
      const v = Array.isArray(raw) ? raw[0] : raw;
      if (v === '' || v === undefined || v === null) continue;
      const attribute = ATTRIBUTE_KEY.exec(key);
      if (attribute) {
        if (attribute[1] === CONDITION_ATTRIBUTE) plain.condition = v;
        else problems.push(`${key}: ${attribute[1]} is not an attribute of this service (see services/{service_code}.json)`);
      } else if (key === 'attribute' && typeof v === 'object') {
        // A JSON body, or a client that nests: {attribute: {condition: 2}}.
        for (const [code, a] of Object.entries(v as Record<string, unknown>)) {
          if (code === CONDITION_ATTRIBUTE) plain.condition = a;
          else problems.push(`attribute[${code}]: ${code} is not an attribute of this service (see services/{service_code}.json)`);
        }
      } else {
        plain[key] = v;
      }
    }
    // GeoReport v2: a request is located by lat and long, or else by address_string or address_id
    // (an operator then places it on the map). Half a coordinate pair locates nothing.
    const noCoordinates = plain.lat === undefined && plain.long === undefined;
    const byAddress = plain.address_string !== undefined || plain.address_id !== undefined;
    const halfPair = (plain.lat === undefined) !== (plain.long === undefined);
    if (halfPair) problems.push(`${plain.lat === undefined ? 'lat' : 'long'}: lat and long go together (WGS84) / 经纬度须成对提供`);
    else if (noCoordinates && !byAddress) {
      problems.push('lat/long: a location is required: lat and long (WGS84), or address_string or address_id / 请提供经纬度或地址');
    }
    const dto = plainToInstance(Open311ReportDto, plain);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: false, stopAtFirstError: true });
    const all = [...problems, ...problemsOf(errors).filter((p) => !(halfPair && /^(lat|long) must be a number/.test(p)))];
    if (all.length > 0) throw Open311Error.badRequest(all);
    return dto;
  }
}

const CJK = /[\u3400-\u9fff]/;
const OWN_MEDIA_PATH = /^\/api\/v1\/media\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

/** A Chinese name is family name then given name, unspaced; others "first last". */
export function reporterName(first?: string, last?: string): string | undefined {
  const parts = [first?.trim(), last?.trim()].filter((s): s is string => !!s);
  if (parts.length === 0) return undefined;
  if (parts.length === 2 && (CJK.test(parts[0]) || CJK.test(parts[1]))) return `${parts[1]}${parts[0]}`.slice(0, 50);
  return parts.join(' ').slice(0, 50);
}

/**
 * The report in the platform's terms. `media_url`: a photo uploaded here (`<this host>/api/v1/media/<id>`)
 * is attached; any other URL is neither fetched (no requests to addresses a client chooses) nor
 * kept, and the service notice says so.
 */
export function toOpen311Report(dto: Readonly<Open311ReportDto>, host: string | undefined): Open311Report {
  const report: Open311Report = {
    serviceCode: dto.service_code,
    location: dto.lat !== undefined && dto.long !== undefined ? { lat: dto.lat, long: dto.long } : undefined,
    addressId: dto.address_id,
    description: dto.description ?? '',
    conditionNo: dto.condition,
    address: dto.address_string,
    reporter: { name: reporterName(dto.first_name, dto.last_name), phone: dto.phone, email: dto.email },
    accountId: dto.account_id,
  };
  if (dto.media_url) {
    const url = URL.canParse(dto.media_url) ? new URL(dto.media_url) : null;
    const own = url ? OWN_MEDIA_PATH.exec(url.pathname) : null;
    if (url && own && host !== undefined && url.host === host) report.mediaIds = [own[1].toLowerCase()];
    else report.notices = [{ zh: '媒体链接未保存，请通过 POST /api/v1/media 上传照片', en: 'media_url not kept: upload photos with POST /api/v1/media' }];
  }
  return report;
}
