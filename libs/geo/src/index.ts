export * from './geo.module';
export * from './locate.service';
export * from './map-layers.service';
export * from './coordinates';
export * from './division-directory.service';
export * from './grid-directory.service';
export * from './bbox';
export * from './division-outlines.service';
