export * from './chief-error';
export * from './chief-roster.service';
export * from './chiefs.module';
export * from './department-directory.service';
