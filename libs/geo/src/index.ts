export * from './geo.module';
export * from './locate.service';
export * from './map-layers.service';
export * from './recurrence-hotspots.service';
export * from './coordinates';
export * from './open-statuses.sql';
export * from './division-directory.service';
export * from './grid-directory.service';
