// The leaf of operations: errors and their HTTP shape, request guards, the outage log, scraped
// gauges and the Redis token. Imports no other lib; every lib and app may import it.
export * from './errors/app-error';
export * from './errors/database-unavailable';
export * from './http/api-error';
export * from './http/api-exception.filter';
export * from './http/request-path';
export * from './http/validation';
export * from './http/compiled-validation';
export * from './http/no-html.validator';
export * from './http/id-param.pipe';
export * from './http/json-guards';
export * from './logging/outage-log';
export * from './metrics/scraped-gauge';
export * from './redis/redis.token';
