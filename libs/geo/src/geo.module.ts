import { Module } from '@nestjs/common';
import { LocateService } from './locate.service';
import { MapLayersService } from './map-layers.service';

@Module({ providers: [LocateService, MapLayersService], exports: [LocateService, MapLayersService] })
export class GeoModule {}
