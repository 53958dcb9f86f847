import { Module } from '@nestjs/common';
import { LocateService } from './locate.service';
import { MapLayersService } from './map-layers.service';
import { RecurrenceHotspotsService } from './recurrence-hotspots.service';
import { StreetDirectory } from './street-directory.service';

@Module({
  providers: [LocateService, MapLayersService, RecurrenceHotspotsService, StreetDirectory],
  exports: [LocateService, MapLayersService, RecurrenceHotspotsService, StreetDirectory],
})
export class GeoModule {}
