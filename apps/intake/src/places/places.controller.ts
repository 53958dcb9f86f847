import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Inject, Injectable, Param, ParseUUIDPipe, Patch, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-fastify/multipart';
import { ApiBearerAuth, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { catchError, throwError, type Observable } from 'rxjs';
import type { FastifyReply } from 'fastify';
import { CurrentUser, holdsDistrict, Roles, type AuthUser } from '@wangge/auth';
import { STAFF_ROLES } from '@wangge/domain';
import { parseBbox } from '@wangge/geo';
import { ApiError } from '@wangge/operations';
import { ChecklistService, InspectionPlanService, InspectionService, PlaceImportRejected, PlaceImportService, PlaceService, type PlaceImportReport, type PlaceView } from '@wangge/places';
import { ActorService } from '@wangge/workflow';
import { idempotencyOf } from '../cases/idempotency-key';
import { ImportRejectedAnswer, problemsDownload } from '../import/import-problems.format';
import { multipartError } from '../media/multipart-errors.interceptor';
import { ImportPlacesDto, ImportPlacesQueryDto, PLACES_IMPORT_MAX_BYTES } from './place-import.dto';
import { CreateChecklistDto, CreateInspectionDto, CreatePlaceDto, PlaceFilterDto, PlaceQueryDto, UpdatePlaceDto } from './place.dto';

const uuid = (what: string) =>
  new ParseUUIDPipe({ version: undefined, exceptionFactory: () => ApiError.badInput([{ field: 'id', problem: `id must be a ${what} id (UUID)` }]) });

/** Which checklist a kind of place is inspected against by default (the phone's "my inspections"). */
const DEFAULT_CHECKLIST: Record<string, string> = { site: '工地"8个100%"', checkpoint: '卡点值守', market: '市场巡查' };

/** A places file's multipart errors (too large, wrong field) as the platform's 4xx naming the field. */
@Injectable()
class PlacesImportMultipartErrors implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((err: unknown) => throwError(() => placesMultipartError(err) ?? err)));
  }
}

/** The media upload's multipart errors, told of a places file rather than a photo. */
function placesMultipartError(err: unknown): ApiError | null {
  const answer = multipartError(err, PLACES_IMPORT_MAX_BYTES);
  if (answer?.code === 'payload_too_large') {
    return new ApiError(413, 'payload_too_large', `the places file is larger than ${PLACES_IMPORT_MAX_BYTES / 1024 / 1024} MB / 点位文件超过 5 MB`, [
      { field: 'file', problem: `larger than ${PLACES_IMPORT_MAX_BYTES} bytes` },
    ]);
  }
  return answer;
}

@ApiTags('places and inspections')
@ApiBearerAuth()
@Controller('api/v1')
export class PlacesController {
  constructor(
    @Inject(ActorService) private readonly actors: ActorService,
    @Inject(PlaceService) private readonly places: PlaceService,
    @Inject(ChecklistService) private readonly checklists: ChecklistService,
    @Inject(InspectionService) private readonly inspections: InspectionService,
    @Inject(InspectionPlanService) private readonly plans: InspectionPlanService,
    @Inject(PlaceImportService) private readonly imports: PlaceImportService,
  ) {}

  @Post('places/import')
  @Roles('operator', 'leader', 'admin')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(PlacesImportMultipartErrors, FileInterceptor('file', { limits: { fileSize: PLACES_IMPORT_MAX_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiOperation({
    summary:
      'Import places from a CSV (kind,name,lng,lat[,address,owner_name,owner_phone,responsible,code]) or a GeoJSON FeatureCollection (Point or Polygon) of your jurisdiction, ' +
      'all or nothing; a row with a code (else the same kind and name within 20 m) updates its place; ?dryRun=true only reports / 导入点位',
  })
  @ApiOkResponse({ description: '{dryRun, file, format, records, created, updated, unchanged, places: [{row, action, id, code, kind, name, street}], problems, groups}' })
  @ApiProduces('application/json', 'text/csv')
  @ApiUnprocessableEntityResponse({
    description: 'import_rejected: nothing written; details lists every bad row as {field: "file:row", problem: "field: problem"}, groups the same by problem; ?format=csv every problem as CSV',
  })
  async importPlaces(
    @UploadedFile() file: { originalname: string; buffer: Buffer } | undefined,
    @Body() body: ImportPlacesDto,
    @Query() q: ImportPlacesQueryDto,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<PlaceImportReport | string> {
    const content = file?.buffer ?? body.content;
    if (content === undefined) throw ApiError.badInput([{ field: 'file', problem: 'required: the places file (multipart field file, or content in JSON)' }]);
    const dryRun = (q.dryRun ?? body.dryRun) === 'true';
    const name = file?.originalname || body.name || 'places.csv';
    let report: PlaceImportReport;
    try {
      report = await this.imports.import({ name, content, coordSystem: body.coordSystem, dryRun }, await this.actors.of(user), { id: user.id, username: user.username });
    } catch (err) {
      if (!(err instanceof PlaceImportRejected)) throw err;
      throw new ImportRejectedAnswer(err.message, err.report.problems);
    }
    if (q.format === 'csv') return problemsDownload(res, report.problems);
    return report;
  }

  @Post('places')
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Register a place (site, market, checkpoint, enterprise) in your jurisdiction / 登记点位' })
  async create(@Body() body: CreatePlaceDto, @CurrentUser() user: AuthUser) {
    return this.places.create(body, await this.actors.of(user), { id: user.id, username: user.username });
  }

  @Get('places')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Places in your scope as GeoJSON, each with its compliance state / 点位（GeoJSON）' })
  async list(@Query() q: PlaceQueryDto, @CurrentUser() user: AuthUser) {
    const places = await this.places.list({ kind: q.kind, bbox: q.bbox ? parseBbox(q.bbox) : undefined }, await this.actors.of(user));
    return { type: 'FeatureCollection', features: places.map(feature) };
  }

  @Get('places/:id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'One place in your scope / 点位详情' })
  async get(@Param('id', uuid('place')) id: string, @CurrentUser() user: AuthUser) {
    return this.places.get(id, await this.actors.of(user));
  }

  @Patch('places/:id')
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Change a place of your jurisdiction (a new geometry locates it again) / 修改点位' })
  async update(@Param('id', uuid('place')) id: string, @Body() body: UpdatePlaceDto, @CurrentUser() user: AuthUser) {
    return this.places.update(id, body, await this.actors.of(user), { id: user.id, username: user.username });
  }

  @Post('checklists')
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Add a checklist, or its next version when the items changed (district staff) / 新增检查表' })
  async createChecklist(@Body() body: CreateChecklistDto, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: FastifyReply) {
    if (!holdsDistrict(user)) throw new ApiError(403, 'forbidden', 'checklists are district reference data / 检查表由区级人员维护');
    const { checklist, created } = await this.checklists.create(body, { id: user.id, username: user.username });
    res.status(created ? 201 : 200);
    return checklist;
  }

  @Get('checklists')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'The version in force of every checklist / 检查表' })
  listChecklists() {
    return this.checklists.list();
  }

  @Get('checklists/:id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'One checklist version / 检查表（某版本）' })
  getChecklist(@Param('id', uuid('checklist')) id: string) {
    return this.checklists.get(id);
  }

  @Post('inspections')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Record an inspection on site, item by item; each failed item opens a case at the place / 提交检查记录' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key returns the first record and opens no case again' })
  async record(
    @Body() body: CreateInspectionDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const actor = await this.actors.of(user);
    const { inspection, replayed } = await this.inspections.record(body, actor, idempotencyOf(key, actor, undefined, 'POST', '/api/v1/inspections', body));
    if (replayed) res.header('Idempotent-Replayed', 'true');
    res.status(201);
    return inspection;
  }

  @Get('inspections')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Inspections of the places in your scope, newest first / 检查记录' })
  async listInspections(@Query() q: PlaceFilterDto, @CurrentUser() user: AuthUser) {
    return this.inspections.list({ placeId: q.placeId }, await this.actors.of(user));
  }

  @Get('inspections/:id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'One inspection of a place in your scope / 检查记录详情' })
  async getInspection(@Param('id', uuid('inspection')) id: string, @CurrentUser() user: AuthUser) {
    return this.inspections.get(id, await this.actors.of(user));
  }

  @Get('me/inspections')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary: 'My inspections: what plans have due for me and overdue (soonest first), the places in my scope with their checklist, and what I recorded / 我的巡查',
  })
  async mine(@CurrentUser() user: AuthUser) {
    const actor = await this.actors.of(user);
    const [due, places, checklists, recent] = await Promise.all([
      this.plans.dueFor(user.id),
      this.places.list({}, actor),
      this.checklists.list(),
      this.inspections.list({ mine: true, limit: 20 }, actor),
    ]);
    const byName = new Map(checklists.map((c) => [c.name, c]));
    return {
      due,
      places: places.map((p) => ({ ...p, checklistId: byName.get(DEFAULT_CHECKLIST[p.kind] ?? '')?.id ?? null })),
      checklists,
      recent,
    };
  }
}

function feature(p: PlaceView) {
  const { geometry, ...properties } = p;
  return { type: 'Feature', id: p.id, geometry, properties };
}
