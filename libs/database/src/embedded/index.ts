export * from './embedded-postgres';
export * from './free-port';
export * from './local-redis';
export * from './pid-lock';
