import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { CLOCK, DAY_MS, type Clock } from '@wangge/clock';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { STAFF_ROLES } from '@wangge/domain';
import { parseBbox } from '@wangge/geo';
import { ApiError } from '@wangge/operations';
import { ActorService, BusinessCalendarService, RecurrenceHotspotsService } from '@wangge/workflow';
import { parseDate } from '../cases/case.controller';
import { HotspotQueryDto } from './bulletins.dto';

/** The longest span one map request may cover. */
const MAX_SPAN_DAYS = 366;

@ApiTags('bulletins')
@ApiBearerAuth()
@Controller('api/v1')
export class HotspotsController {
  constructor(
    @Inject(RecurrenceHotspotsService) private readonly hotspots: RecurrenceHotspotsService,
    @Inject(ActorService) private readonly actors: ActorService,
    @Inject(BusinessCalendarService) private readonly calendar: BusinessCalendarService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('hotspots')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'Recurrence hotspots (防反弹) as a GeoJSON map layer: problems of one category reported again near a closed case within HOTSPOT_RADIUS_M and HOTSPOT_WINDOW_DAYS; scoped like cases',
  })
  async list(@Query() q: HotspotQueryDto, @CurrentUser() user: AuthUser) {
    const offset = this.calendar.offsetMinutes;
    const to = q.to ? parseDate(q.to, 'to', offset) : this.clock.now();
    const from = q.from ? parseDate(q.from, 'from', offset) : new Date(to.getTime() - this.config.hotspots.windowDays * DAY_MS);
    if (from.getTime() >= to.getTime()) throw ApiError.badInput([{ field: 'to', problem: 'to must be after from / 结束时间应晚于开始时间' }]);
    if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY_MS) {
      throw ApiError.badInput([{ field: 'from', problem: `from..to may span at most ${MAX_SPAN_DAYS} days / 时间范围过大` }]);
    }
    const bbox = q.bbox ? parseBbox(q.bbox) : undefined;
    const caller = await this.actors.of(user);
    const found = await this.hotspots.find({
      from,
      to,
      radiusM: this.config.hotspots.radiusM,
      windowDays: this.config.hotspots.windowDays,
      caller,
      bbox,
      limit: q.limit ?? 1000,
    });
    return {
      type: 'FeatureCollection' as const,
      properties: { from: from.toISOString(), to: to.toISOString(), radiusM: this.config.hotspots.radiusM, windowDays: this.config.hotspots.windowDays },
      features: found.map((h) => {
        const { centre, ...properties } = h;
        return { type: 'Feature' as const, id: h.id, geometry: { type: 'Point' as const, coordinates: [centre.lng, centre.lat] }, properties };
      }),
    };
  }
}
