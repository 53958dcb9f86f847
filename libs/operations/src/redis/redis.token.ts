/**
 * The injection token of the process's shared ioredis connection. The connection itself is made
 * by RedisModule of @wangge/startup, which only apps import; libs inject it by this token.
 */
export const REDIS = Symbol('REDIS');
