import { Module } from '@nestjs/common';
import { LocateService } from './locate.service';
import { MapLayersService } from './map-layers.service';
import { RecurrenceHotspotsService } from './recurrence-hotspots.service';
import { DivisionDirectory } from './division-directory.service';
import { GridDirectory } from './grid-directory.service';

@Module({
  providers: [LocateService, MapLayersService, RecurrenceHotspotsService, DivisionDirectory, GridDirectory],
  exports: [LocateService, MapLayersService, RecurrenceHotspotsService, DivisionDirectory, GridDirectory],
})
export class GeoModule {}
