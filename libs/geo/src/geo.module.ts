import { Module } from '@nestjs/common';
import { LocateService } from './locate.service';
import { MapLayersService } from './map-layers.service';
import { DivisionDirectory } from './division-directory.service';
import { GridDirectory } from './grid-directory.service';

@Module({
  providers: [LocateService, MapLayersService, DivisionDirectory, GridDirectory],
  exports: [LocateService, MapLayersService, DivisionDirectory, GridDirectory],
})
export class GeoModule {}
