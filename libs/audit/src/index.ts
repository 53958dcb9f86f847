export * from './audit-record';
export * from './audit-csv';
export * from './audit-trail.service';
export * from './audit.module';
