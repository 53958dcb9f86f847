import { Module } from '@nestjs/common';
import { LocateService } from './locate.service';
import { MapLayersService } from './map-layers.service';
import { DivisionDirectory } from './division-directory.service';

@Module({
  providers: [LocateService, MapLayersService, DivisionDirectory],
  exports: [LocateService, MapLayersService, DivisionDirectory],
})
export class GeoModule {}
