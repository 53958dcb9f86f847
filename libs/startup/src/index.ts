// Start-up of a process: the HTTP app, config-first boot, the modules every process loads (config,
// database, logging, metrics, health, Redis) and the local Redis launcher of `npm start`.
// Only apps import this lib.
export * from './bootstrap/http-app';
export * from './bootstrap/run-process';
export * from './bootstrap/process-modules';
export * from './bootstrap/district-of-database';
export * from './health/health.module';
export * from './health/public-route';
export * from './logging/logging.module';
export * from './logging/log-format';
export * from './metrics/metrics.module';
export * from './redis/redis.module';
export * from './redis/local-redis';
export * from './http/client-address';
