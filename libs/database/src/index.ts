export * from './data-source';
export * from './database.module';
export * from './database-identity';
export * from './migrations';
export * from './embedded';
export * from './query-rows';
export * from './transient-failure';
