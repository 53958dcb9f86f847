import { createHmac } from 'node:crypto';
import { ConfigurationError, EnvironmentVariables, validateEnvironment } from './env.schema';

/** The typed configuration every process reads. Built once from the environment at boot. */
export interface AppConfig {
  env: EnvironmentVariables['NODE_ENV'];
  logLevel: string;
  /** How log lines look (LOG_FORMAT; json in production unless set). */
  logFormat: 'json' | 'pretty';
  logColor: 'auto' | 'always' | 'never';
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  jwt: { secret: string; ttl: string };
  /** Keys the tracking tokens (TRACKING_TOKEN_SECRET; unset outside production: derived from JWT_SECRET). */
  trackingTokenSecret: string;
  routeRadiusM: number;
  /** PLACE_RADIUS_M: an inspection further from its place is off-site. */
  placeRadiusM: number;
  /** DUTY_GRACE_MIN: a duty shift not checked in this long after its start is missed. */
  dutyGraceMin: number;
  mediaDir: string;
  dataDir: string;
  ports: { intake: number; feed: number; dispatcher: number };
  /**
   * The district this deployment serves: the one the database holds (see {@link districtOfDatabase};
   * each process adopts it at start), else DISTRICT_CODE (the demo's 410104 by default).
   */
  districtCode: string;
  /** DISTRICT_CODE was set: a database holding another district is then refused, not adopted. */
  districtCodeGiven: boolean;
  demoPassword: string;
  /** Days of history the demo seed creates (DEMO_HISTORY_DAYS). */
  demoHistoryDays: number;
  /** The first admin's password for `npm run setup`; null: generated. */
  adminPassword: string | null;
  dbPoolSize: number;
  /** Named prepared statements for parameterised queries (off for the embedded PGlite). */
  dbPreparedStatements: boolean;
  importMaxBytes: number;
  mediaMaxBytes: number;
  /** Orphan purge, upload quota and decode limit of photos. */
  media: { orphanHours: number; quotaBytesPerHour: number; decodeConcurrency: number; decodeQueue: number };
  timeZone: string;
  autoRegisterSources: string[];
  reportRateLimit: number;
  /** Reports per minute of one signed-in caller (never below the anonymous limit). */
  reportRateLimitStaff: number;
  /** Anonymous reads per minute of one client address. */
  readRateLimit: number;
  /** Login attempts per minute of one client address; the per-account backoff after wrong passwords. */
  login: { perAddressPerMinute: number; freeFailures: number; maxLockSeconds: number };
  /**
   * HTTP hardening: the body limit of routes without their own, the proxies believed (besides
   * loopback), the operations port, Strict-Transport-Security.
   */
  http: { bodyMaxBytes: number; trustProxy: string[]; opsPort: number | null; hsts: boolean };
  /** Group commit of reports: most per transaction, batches at once. */
  reportBatch: { maxBatch: number; maxConcurrent: number };
  outboxPollMs: number;
  duplicate: { radiusM: number; windowH: number };
  verifyLimitWorkHours: number;
  /** Stage limits of the command centre's own steps, in minutes (REGISTER_LIMIT_MIN, DISPATCH_LIMIT_MIN, CHECK_LIMIT_MIN). */
  stageLimitsMin: { register: number; dispatch: number; check: number };
  sweepIntervalMs: number;
  dispatcherConcurrency: number;
  /** The queues this dispatcher process works (DISPATCHER_QUEUES; their sweeps and schedules with them). */
  dispatcherQueues: readonly string[];
  bulletins: { dailyAt: string; weeklyAt: string };
  hotspots: { radiusM: number; windowDays: number };
  feed: {
    maxBufferedEvents: number;
    resumeGraceMs: number;
    replayMemory: number;
    statsIntervalMs: number;
    catchupMs: number;
    batchMs: number;
    perMessageDeflate: boolean;
    maxTracked: number;
    maxConnectionsPerIp: number;
    maxMessagesPerSecond: number;
    corsOrigins: '*' | string[];
  };
  /** The platform's public address, no trailing slash (PUBLIC_BASE_URL; default http://localhost:INTAKE_PORT). */
  publicBaseUrl: string;
  /** Notifications (libs/notifications): SMTP, the delivery queue's concurrency, timeout, attempts and backoff, the case-event poll. */
  notify: { smtpUrl: string | null; smtpFrom: string; concurrency: number; timeoutMs: number; attempts: number; backoffMs: number; pollMs: number };
  /** Open311: the endpoint of a test deployment that discovery lists (OPEN311_TEST_URL), or null. */
  open311TestUrl: string | null;
  /** The web console: where its build is, and what the browser is told (GET /config.json). */
  console: { dir: string; feedUrl: string | null; mapTileUrl: string | null; mapTileAttribution: string | null };
}

export function toAppConfig(env: EnvironmentVariables): AppConfig {
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty'),
    logColor: env.LOG_COLOR,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    jwt: { secret: env.JWT_SECRET, ttl: env.JWT_TTL },
    trackingTokenSecret: env.TRACKING_TOKEN_SECRET ?? createHmac('sha256', env.JWT_SECRET).update('wangge:tracking-token-secret').digest('base64url'),
    routeRadiusM: env.ROUTE_RADIUS_M,
    placeRadiusM: env.PLACE_RADIUS_M,
    dutyGraceMin: env.DUTY_GRACE_MIN,
    mediaDir: env.MEDIA_DIR,
    dataDir: env.DATA_DIR,
    ports: { intake: env.INTAKE_PORT, feed: env.FEED_PORT, dispatcher: env.DISPATCHER_PORT },
    districtCode: env.DISTRICT_CODE,
    districtCodeGiven: false,
    demoPassword: env.DEMO_PASSWORD,
    demoHistoryDays: env.DEMO_HISTORY_DAYS,
    adminPassword: env.ADMIN_PASSWORD ?? null,
    dbPoolSize: env.DB_POOL_SIZE,
    dbPreparedStatements: env.DB_PREPARED_STATEMENTS === 'on',
    importMaxBytes: env.IMPORT_MAX_BYTES,
    mediaMaxBytes: env.MEDIA_MAX_BYTES,
    media: {
      orphanHours: env.MEDIA_ORPHAN_HOURS,
      quotaBytesPerHour: env.MEDIA_QUOTA_BYTES_PER_HOUR,
      decodeConcurrency: env.MEDIA_DECODE_CONCURRENCY,
      decodeQueue: env.MEDIA_DECODE_QUEUE,
    },
    timeZone: env.TIME_ZONE,
    autoRegisterSources: env.AUTO_REGISTER_SOURCES.split(',').filter((s) => s !== ''),
    reportRateLimit: env.REPORT_RATE_LIMIT,
    reportRateLimitStaff: Math.max(env.REPORT_RATE_LIMIT_STAFF, env.REPORT_RATE_LIMIT),
    readRateLimit: env.READ_RATE_LIMIT,
    login: { perAddressPerMinute: env.LOGIN_RATE_LIMIT, freeFailures: env.LOGIN_BACKOFF_FREE_FAILURES, maxLockSeconds: env.LOGIN_BACKOFF_MAX_S },
    http: {
      bodyMaxBytes: env.BODY_MAX_BYTES,
      trustProxy: env.TRUST_PROXY.split(',').filter((s) => s !== ''),
      opsPort: env.OPS_PORT ?? null,
      hsts: env.HSTS ? env.HSTS === 'true' : (env.PUBLIC_BASE_URL ?? '').startsWith('https://'),
    },
    reportBatch: { maxBatch: env.REPORT_BATCH_MAX, maxConcurrent: env.REPORT_BATCH_CONCURRENCY },
    outboxPollMs: env.OUTBOX_POLL_MS,
    duplicate: { radiusM: env.DUPLICATE_RADIUS_M, windowH: env.DUPLICATE_WINDOW_H },
    verifyLimitWorkHours: env.VERIFY_LIMIT_WORK_HOURS,
    stageLimitsMin: { register: env.REGISTER_LIMIT_MIN, dispatch: env.DISPATCH_LIMIT_MIN, check: env.CHECK_LIMIT_MIN },
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    dispatcherConcurrency: env.DISPATCHER_CONCURRENCY,
    dispatcherQueues: [...new Set(env.DISPATCHER_QUEUES.split(','))],
    bulletins: { dailyAt: env.EVALUATION_DAILY_AT, weeklyAt: env.EVALUATION_WEEKLY_AT },
    hotspots: { radiusM: env.HOTSPOT_RADIUS_M, windowDays: env.HOTSPOT_WINDOW_DAYS },
    feed: {
      maxBufferedEvents: env.FEED_MAX_BUFFERED_EVENTS,
      resumeGraceMs: env.FEED_RESUME_GRACE_MS,
      replayMemory: env.FEED_REPLAY_MEMORY,
      statsIntervalMs: env.FEED_STATS_INTERVAL_MS,
      catchupMs: env.FEED_CATCHUP_MS,
      batchMs: env.FEED_BATCH_MS,
      perMessageDeflate: env.FEED_PER_MESSAGE_DEFLATE === 'true',
      maxTracked: env.FEED_MAX_TRACKED,
      maxConnectionsPerIp: env.FEED_MAX_CONNECTIONS_PER_IP,
      maxMessagesPerSecond: env.FEED_MAX_MESSAGES_PER_SECOND,
      corsOrigins: env.FEED_CORS_ORIGINS === '*' ? '*' : env.FEED_CORS_ORIGINS.split(','),
    },
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.INTAKE_PORT}`).replace(/\/+$/, ''),
    notify: {
      smtpUrl: env.SMTP_URL ?? null,
      smtpFrom: env.SMTP_FROM,
      concurrency: env.NOTIFY_CONCURRENCY,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
      attempts: env.NOTIFY_ATTEMPTS,
      backoffMs: env.NOTIFY_BACKOFF_MS,
      pollMs: env.NOTIFY_POLL_MS,
    },
    open311TestUrl: env.OPEN311_TEST_URL?.replace(/\/+$/, '') ?? null,
    console: {
      dir: env.CONSOLE_DIR,
      feedUrl: env.FEED_PUBLIC_URL ?? null,
      mapTileUrl: env.MAP_TILE_URL ?? null,
      mapTileAttribution: env.MAP_TILE_ATTRIBUTION ?? null,
    },
  };
}

/** Reads and validates the process environment (the only place that touches process.env for the apps). */
export function loadAppConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  const raw = { ...process.env, ...overrides };
  return { ...toAppConfig(validateEnvironment(raw)), districtCodeGiven: raw.DISTRICT_CODE !== undefined && raw.DISTRICT_CODE !== '' };
}

/**
 * The configuration with the district of the database: a deployment serves the one district its
 * database holds (`npm run setup`), so DISTRICT_CODE need not repeat it. A database with no district
 * yet (before setup or the demo seed) keeps DISTRICT_CODE; a DISTRICT_CODE that was set and names
 * another district than the database's is refused, naming both.
 */
export function districtOfDatabase(config: AppConfig, databaseDistrict: string | null): AppConfig {
  if (databaseDistrict === null || databaseDistrict === config.districtCode) return config;
  if (config.districtCodeGiven) {
    throw new ConfigurationError([
      `DISTRICT_CODE is ${config.districtCode} but the database holds district ${databaseDistrict}: unset DISTRICT_CODE, or point DATABASE_URL at the database of ${config.districtCode} / DISTRICT_CODE 与数据库中的区 ${databaseDistrict} 不一致`,
    ]);
  }
  return { ...config, districtCode: databaseDistrict };
}

/** The process environment, for the launcher that passes it on to child processes. */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}
