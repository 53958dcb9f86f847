export * from './case-action-keys.service';
export * from './case-report.service';
export * from './group-commit';
export * from './idempotency';
export * from './idempotency-key.purger';
export * from './report.types';
export * from './reports.module';
