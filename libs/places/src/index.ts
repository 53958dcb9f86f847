export * from './place.types';
export * from './place-error';
export * from './place-geometry';
export * from './place.service';
export * from './checklist.service';
export * from './inspection.service';
export * from './places.module';
