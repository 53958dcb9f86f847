import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { groupProblems, importFiles, ImportRejectedError, type ImportReport, type ProblemGroup } from '@wangge/import';
import { ApiError } from '@wangge/operations';
import { CaseRelocationService } from '@wangge/workflow';
import { ImportQueryDto, ImportReportDto, ImportRequestDto } from './import.dto';
import { ImportRejectedAnswer, problemsDownload } from './import-problems.format';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/import')
export class ImportController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CaseRelocationService) private readonly relocation: CaseRelocationService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Import grid cells and roads (GeoJSON) and road chiefs (CSV) in one transaction (admin); `replace` re-zones a layer, `dryRun` only reports',
  })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiProduces('application/json', 'text/csv')
  @ApiUnprocessableEntityResponse({
    description:
      'import_rejected: nothing written; details lists every bad record as {field: "file:feature", problem}, groups the same by problem ' +
      '({problem, count, examples}, the largest first); with ?format=csv every bad record as CSV',
  })
  async import(
    @Body() body: ImportRequestDto,
    @Query() query: ImportQueryDto,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<(ImportReport & { skippedGroups: ProblemGroup[] }) | string> {
    // The layers are the district's: a street-level admin may not replace them.
    if (user.streetCode) {
      throw new ApiError(HttpStatus.FORBIDDEN, 'forbidden', 'imports are for district admins / 仅区级管理员可导入网格、路网和路长');
    }
    let report: ImportReport;
    try {
      report = await importFiles(this.db, body.files, {
        districtCode: this.config.districtCode,
        skipInvalid: body.skipInvalid ?? false,
        coord: body.coord ?? 'wgs84',
        maxBytes: this.config.importMaxBytes,
        replace: body.replace ?? null,
        dryRun: body.dryRun ?? false,
        relocator: this.relocation,
        actor: { id: user.id, username: user.username },
      });
    } catch (err) {
      if (!(err instanceof ImportRejectedError)) throw err;
      throw new ImportRejectedAnswer(err.message, err.problems);
    }
    if (query.format === 'csv') return problemsDownload(res, report.skipped);
    return { ...report, skippedGroups: groupProblems(report.skipped) };
  }
}
