import { Controller, Get, HttpStatus, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { STAFF_ROLES } from '@wangge/domain';
import { DivisionOutlines, LocateService, MapLayersService, parseBbox } from '@wangge/geo';
import { ApiError } from '@wangge/operations';
import { ActorService, CaseMapLayers } from '@wangge/workflow';
import { BboxQueryDto, LocateQueryDto, OutlinesQueryDto, parseTile } from './geo-query.dto';

@ApiTags('grid and network')
@ApiBearerAuth()
@Roles(...STAFF_ROLES)
@Controller('api/v1')
export class GeoController {
  constructor(
    @Inject(LocateService) private readonly locator: LocateService,
    @Inject(MapLayersService) private readonly layers: MapLayersService,
    @Inject(CaseMapLayers) private readonly caseLayers: CaseMapLayers,
    @Inject(ActorService) private readonly actors: ActorService,
    @Inject(DivisionOutlines) private readonly divisions: DivisionOutlines,
  ) {}

  @Get('locate')
  @ApiOperation({ summary: 'Grid cell, street, community, nearest road and the accountable chief of a point, with the reason' })
  async locate(@Query() q: LocateQueryDto) {
    const location = await this.locator.locate(q.lng, q.lat);
    if (!location) {
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'out_of_jurisdiction', `(${q.lng}, ${q.lat}) is outside the district / 该位置不在本区范围内`, [
        { field: 'lng,lat', problem: 'no grid cell covers this point' },
      ]);
    }
    return location;
  }

  @Get('grid/cells')
  @ApiOperation({ summary: 'Unit grid cells in a bounding box with the open and overdue cases in each that the caller may see (GeoJSON FeatureCollection)' })
  async cells(@Query() q: BboxQueryDto, @CurrentUser() user: AuthUser) {
    const box = parseBbox(q.bbox);
    const actor = await this.actors.of(user);
    return this.caseLayers.cells(box, q.limit ?? 5000, actor);
  }

  @Get('roads')
  @ApiOperation({ summary: 'Road segments in a bounding box with their chiefs by level (GeoJSON FeatureCollection)' })
  roads(@Query() q: BboxQueryDto) {
    return this.layers.roads(parseBbox(q.bbox), q.limit ?? 5000);
  }

  @Get('divisions/outlines')
  @ApiOperation({
    summary:
      'Outlines of the district, its streets or its communities (GeoJSON MultiPolygons dissolved from the live grid cells), each with its name and a label point: the whole district to every staff role (public geography, no case data: docs/map.md)',
  })
  outlines(@Query() q: OutlinesQueryDto) {
    return this.divisions.outlines(q.level);
  }

  @Get('tiles/:z/:x/:y')
  @ApiParam({ name: 'y', example: '1626.mvt', description: 'the tile row followed by .mvt' })
  @ApiProduces('application/vnd.mapbox-vector-tile')
  @ApiOperation({
    summary:
      'A Mapbox vector tile of the district: layer cells (code, street, open, overdue: the cases the caller may see; from zoom 10) and layer roads (id, name, segment, chief1..chief3 by level, chiefs as JSON); 501 where PostGIS cannot write MVT (embedded mode)',
  })
  async tile(@Param('z') z: string, @Param('x') x: string, @Param('y') y: string, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: FastifyReply) {
    const t = parseTile(z, x, y);
    const actor = await this.actors.of(user);
    const tile = await this.caseLayers.tile(t.z, t.x, t.y, actor);
    // per caller (the counts are scoped), and the counts move: a short private cache
    res.header('Cache-Control', 'private, max-age=30');
    res.header('Vary', 'Authorization');
    return new StreamableFile(tile, { type: 'application/vnd.mapbox-vector-tile', length: tile.length });
  }
}
