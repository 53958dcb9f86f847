export * from './job.contract';
export * from './job-queue';
export * from './jobs.module';
export * from './redis-connection';
export * from './redis-namespace';
