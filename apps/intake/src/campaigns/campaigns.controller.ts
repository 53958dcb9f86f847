import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { CampaignFiguresService, CampaignLedgerService, CampaignMaintenanceService, CampaignProgressService, CampaignReads, CampaignService, ledgerCsv, ledgerFileName, ledgerXlsx } from '@wangge/campaigns';
import { STAFF_ROLES } from '@wangge/domain';
import { ApiError } from '@wangge/operations';
import { ActorService, BusinessCalendarService } from '@wangge/workflow';
import { periodBound } from '../evaluation/period';
import { CampaignEvaluationQueryDto, CampaignProgressDto, CreateCampaignDto, CreateCampaignItemDto, MoveMilestoneDto, UpdateCampaignDto, UpdateCampaignItemDto } from './campaign.dto';

const uuid = (field: string, what: string) =>
  new ParseUUIDPipe({ version: undefined, exceptionFactory: () => ApiError.badInput([{ field, problem: `${field} must be a ${what} id (UUID)` }]) });

const LEDGER_FORMATS = ['json', 'csv', 'xlsx'] as const;

/** Campaigns (专项行动, domain.md 8): who may do what is the access model's campaign access, judged in the lib. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/v1/campaigns')
export class CampaignsController {
  constructor(
    @Inject(ActorService) private readonly actors: ActorService,
    @Inject(CampaignService) private readonly campaigns: CampaignService,
    @Inject(CampaignReads) private readonly reads: CampaignReads,
    @Inject(CampaignProgressService) private readonly progress: CampaignProgressService,
    @Inject(CampaignMaintenanceService) private readonly maintenance: CampaignMaintenanceService,
    @Inject(CampaignLedgerService) private readonly ledgers: CampaignLedgerService,
    @Inject(CampaignFiguresService) private readonly figures: CampaignFiguresService,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
  ) {}

  @Post()
  @Roles('operator', 'leader', 'admin')
  @ApiOperation({ summary: 'Make a campaign with its default milestones (district staff) / 创建专项行动' })
  async create(@Body() body: CreateCampaignDto, @CurrentUser() user: AuthUser) {
    return this.campaigns.create(body, await this.actors.of(user));
  }

  @Get()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Campaigns in your scope, with counts over the items you see / 专项行动列表' })
  async list(@CurrentUser() user: AuthUser) {
    return this.reads.list(await this.actors.of(user));
  }

  @Get('evaluation')
  @Roles('operator', 'leader', 'admin', 'chief')
  @ApiOperation({ summary: 'Milestones met on time per owner, street or campaign, in your scope / 节点按期完成率' })
  async evaluation(@Query() q: CampaignEvaluationQueryDto, @CurrentUser() user: AuthUser) {
    const from = periodBound(q.from, 'from', this.calendar.offsetMinutes);
    const to = periodBound(q.to, 'to', this.calendar.offsetMinutes);
    if (to.getTime() <= from.getTime()) throw ApiError.badInput([{ field: 'to', problem: 'to must be after from / 结束须晚于开始' }]);
    return this.figures.evaluate({ from, to, groupBy: q.groupBy, formulaVersion: q.formulaVersion }, await this.actors.of(user));
  }

  @Get(':id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'One campaign with the items you see (挂图作战) / 专项行动详情' })
  async get(@Param('id', uuid('id', 'campaign')) id: string, @CurrentUser() user: AuthUser) {
    return this.reads.get(id, await this.actors.of(user));
  }

  @Get(':id/ledger.:format')
  @Roles(...STAFF_ROLES)
  @ApiParam({ name: 'format', enum: LEDGER_FORMATS })
  @ApiOperation({ summary: 'The ledger (台账): one row per item you see, as JSON, CSV or XLSX / 台账下载' })
  async ledger(@Param('id', uuid('id', 'campaign')) id: string, @Param('format') format: string, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: FastifyReply) {
    if (!(LEDGER_FORMATS as readonly string[]).includes(format)) {
      throw ApiError.badInput([{ field: 'format', problem: `format must be one of .json, .csv, .xlsx, got .${format} / 不支持的格式` }]);
    }
    const ledger = await this.ledgers.ledger(id, await this.actors.of(user));
    if (format === 'json') return ledger;
    res.header('Content-Disposition', `attachment; filename="${ledgerFileName(ledger, format as 'csv' | 'xlsx')}"`);
    if (format === 'csv') {
      res.header('Content-Type', 'text/csv; charset=utf-8');
      return ledgerCsv(ledger);
    }
    return new StreamableFile(await ledgerXlsx(ledger), { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  }

  @Post(':id/items')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Add a place to the campaign with its owner and milestones (district or street staff, the campaign owner) / 添加台账条目' })
  async addItem(@Param('id', uuid('id', 'campaign')) id: string, @Body() body: CreateCampaignItemDto, @CurrentUser() user: AuthUser) {
    return this.campaigns.addItem(id, body, await this.actors.of(user));
  }

  @Post(':id/items/:itemId/progress')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Report progress on an item, a milestone done, with evidence photos (its owner, street or district staff) / 填报进展' })
  async report(
    @Param('id', uuid('id', 'campaign')) id: string,
    @Param('itemId', uuid('itemId', 'item')) itemId: string,
    @Body() body: CampaignProgressDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.progress.report(id, itemId, body, await this.actors.of(user));
  }

  @Patch(':id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Rename, give a new end or owner, or end (completed/cancelled, with a note) a campaign (district staff, its owner) / 修改或结束专项行动' })
  async update(@Param('id', uuid('id', 'campaign')) id: string, @Body() body: UpdateCampaignDto, @CurrentUser() user: AuthUser) {
    return this.maintenance.updateCampaign(id, body, await this.actors.of(user), { id: user.id, username: user.username });
  }

  @Patch(':id/items/:itemId')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Give an item a new owner, or withdraw it from the ledger with a reason (district or street staff, the campaign owner) / 更换责任人、撤出台账' })
  async updateItem(
    @Param('id', uuid('id', 'campaign')) id: string,
    @Param('itemId', uuid('itemId', 'item')) itemId: string,
    @Body() body: UpdateCampaignItemDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.maintenance.updateItem(id, itemId, body, await this.actors.of(user), { id: user.id, username: user.username });
  }

  @Patch(':id/items/:itemId/milestones/:code')
  @Roles(...STAFF_ROLES)
  @ApiParam({ name: 'code', description: 'the milestone code' })
  @ApiOperation({ summary: 'Move a milestone’s due time with a reason; its timer is re-armed (district or street staff, the campaign owner) / 调整时间节点' })
  async moveMilestone(
    @Param('id', uuid('id', 'campaign')) id: string,
    @Param('itemId', uuid('itemId', 'item')) itemId: string,
    @Param('code') code: string,
    @Body() body: MoveMilestoneDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.maintenance.moveMilestone(id, itemId, code, body, await this.actors.of(user), { id: user.id, username: user.username });
  }

  @Get(':id/owner-choices')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Whom you may name as an owner, if you may change the campaign or its items / 可选责任人' })
  async ownerChoices(@Param('id', uuid('id', 'campaign')) id: string, @CurrentUser() user: AuthUser) {
    return this.maintenance.ownerChoices(id, await this.actors.of(user));
  }

  @Get(':id/items/:itemId/history')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'An item’s history: changes (owner, withdrawal, milestones moved) and progress, newest first / 条目变更记录' })
  async history(@Param('id', uuid('id', 'campaign')) id: string, @Param('itemId', uuid('itemId', 'item')) itemId: string, @CurrentUser() user: AuthUser) {
    return this.maintenance.history(id, itemId, await this.actors.of(user));
  }
}
