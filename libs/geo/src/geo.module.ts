import { Module } from '@nestjs/common';
import { LocateService } from './locate.service';
import { MapLayersService } from './map-layers.service';
import { RecurrenceHotspotsService } from './recurrence-hotspots.service';

@Module({ providers: [LocateService, MapLayersService, RecurrenceHotspotsService], exports: [LocateService, MapLayersService, RecurrenceHotspotsService] })
export class GeoModule {}
