import { Module } from '@nestjs/common';
import { LocateService } from './locate.service';
import { MapLayersService } from './map-layers.service';
import { DivisionDirectory } from './division-directory.service';
import { GridDirectory } from './grid-directory.service';
import { DivisionOutlines } from './division-outlines.service';

@Module({
  providers: [LocateService, MapLayersService, DivisionDirectory, GridDirectory, DivisionOutlines],
  exports: [LocateService, MapLayersService, DivisionDirectory, GridDirectory, DivisionOutlines],
})
export class GeoModule {}
