import { isIP } from 'node:net';
import { Transform, plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Every environment variable the platform reads, with its default. Validated once, before any
 * Nest application is created; the rest of the code reads the typed {@link AppConfig}.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** json: one JSON object a line (for a log collector); pretty: one readable line a notable event. Unset: json in production, else pretty. */
  @IsOptional()
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' })
  LOG_FORMAT?: 'json' | 'pretty';

  /** Colour in pretty logs: auto (when the output is a terminal), always, never. */
  @IsIn(['auto', 'always', 'never'], { message: 'LOG_COLOR must be auto, always or never' })
  LOG_COLOR: 'auto' | 'always' | 'never' = 'auto';

  /** postgres://… ; unset: the launcher starts an embedded PostgreSQL with PostGIS under DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** redis://… ; unset: 127.0.0.1:6379 when a Redis answers there, else a redis-server the launcher starts. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Signs the access tokens. At least 32 characters; never a value from code. */
  @IsString({ message: 'JWT_SECRET is required (at least 32 characters); npm start generates one under DATA_DIR' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET: string;

  /**
   * Keys the tracking tokens reporters keep (an HMAC of the case id), apart from JWT_SECRET so that
   * rotating that one keeps every tracking link working. Required in production (npm start
   * generates one under DATA_DIR); elsewhere, unset, it is derived from JWT_SECRET.
   */
  @ValidateIf((o: EnvironmentVariables) => o.NODE_ENV === 'production' || o.TRACKING_TOKEN_SECRET !== undefined)
  @IsString({ message: 'TRACKING_TOKEN_SECRET is required in production (at least 32 characters, not JWT_SECRET); npm start generates one under DATA_DIR' })
  @MinLength(32, { message: 'TRACKING_TOKEN_SECRET must be at least 32 characters long' })
  TRACKING_TOKEN_SECRET?: string;

  @Matches(/^\d+[smhd]$/, { message: 'JWT_TTL must look like 900s, 30m, 12h or 7d' })
  JWT_TTL = '12h';

  @Transform(toInt)
  @IsInt({ message: 'ROUTE_RADIUS_M must be a whole number of metres' })
  @Min(1)
  @Max(1000)
  ROUTE_RADIUS_M = 30;

  /** An inspection further than this from its place is flagged off-site (domain.md 8). */
  @Transform(toInt)
  @IsInt({ message: 'PLACE_RADIUS_M must be a whole number of metres' })
  @Min(1)
  @Max(10000)
  PLACE_RADIUS_M = 100;

  /** A duty shift not checked in within this many minutes of its start is missed (domain.md 8). */
  @Transform(toInt)
  @IsInt({ message: 'DUTY_GRACE_MIN must be a whole number of minutes' })
  @Min(0)
  @Max(1440)
  DUTY_GRACE_MIN = 15;

  @IsString()
  MEDIA_DIR = './data/media';

  @IsString()
  DATA_DIR = './data';

  @Transform(toInt)
  @IsInt({ message: 'INTAKE_PORT must be a port number' })
  @Min(0)
  @Max(65535)
  INTAKE_PORT = 3000;

  @Transform(toInt)
  @IsInt({ message: 'FEED_PORT must be a port number' })
  @Min(0)
  @Max(65535)
  FEED_PORT = 3001;

  @Transform(toInt)
  @IsInt({ message: 'DISPATCHER_PORT must be a port number' })
  @Min(0)
  @Max(65535)
  DISPATCHER_PORT = 3002;

  /** The deployment's district (GB/T 2260 code). */
  @Matches(/^\d{6}$/, { message: 'DISTRICT_CODE must be a 6-digit GB/T 2260 code' })
  DISTRICT_CODE = '410104';

  /** Password of the demo users the seed creates. */
  @IsString()
  @MinLength(6, { message: 'DEMO_PASSWORD must be at least 6 characters long' })
  @MaxLength(128)
  DEMO_PASSWORD = 'demo1234';

  /** Days of case history the demo seed creates before today (`npm start` on an empty database, `npm run seed:demo`); 0 for none. */
  @Transform(toInt)
  @IsInt({ message: 'DEMO_HISTORY_DAYS must be a whole number of days (0 to 90)' })
  @Min(0)
  @Max(90)
  DEMO_HISTORY_DAYS = 30;

  /**
   * The first admin's password for `npm run setup` (checked against the password policy there);
   * unset: setup generates one and prints it once.
   */
  @IsOptional()
  @IsString()
  @MaxLength(256, { message: 'ADMIN_PASSWORD must be at most 256 characters long' })
  ADMIN_PASSWORD?: string;

  @Transform(toInt)
  @IsInt({ message: 'DB_POOL_SIZE must be a whole number' })
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /**
   * Send parameterised queries as named prepared statements (parsed and planned once per
   * connection). `off` for servers whose connections share one session, such as the embedded
   * PGlite (`npm start` without DATABASE_URL sets it so).
   */
  @IsIn(['on', 'off'], { message: 'DB_PREPARED_STATEMENTS must be on or off' })
  DB_PREPARED_STATEMENTS: 'on' | 'off' = 'on';

  @Transform(toInt)
  @IsInt({ message: 'IMPORT_MAX_BYTES must be a whole number of bytes' })
  @Min(1024)
  IMPORT_MAX_BYTES = 50 * 1024 * 1024;

  /** Largest photo `POST /media` accepts. */
  @Transform(toInt)
  @IsInt({ message: 'MEDIA_MAX_BYTES must be a whole number of bytes' })
  @Min(1024)
  @Max(100 * 1024 * 1024)
  MEDIA_MAX_BYTES = 10 * 1024 * 1024;

  /** Uploads no case holds are deleted (row and file) this many hours after they were made. */
  @Transform(toInt)
  @IsInt({ message: 'MEDIA_ORPHAN_HOURS must be a whole number of hours' })
  @Min(1)
  @Max(24 * 365)
  MEDIA_ORPHAN_HOURS = 24;

  /** Bytes of photos one client may upload per clock hour (a staff account, else an address); 0: no quota. */
  @Transform(toInt)
  @IsInt({ message: 'MEDIA_QUOTA_BYTES_PER_HOUR must be a whole number of bytes' })
  @Min(0)
  MEDIA_QUOTA_BYTES_PER_HOUR = 256 * 1024 * 1024;

  /** Photos one intake process decodes and re-encodes at once; more wait in a queue of MEDIA_DECODE_QUEUE. */
  @Transform(toInt)
  @IsInt({ message: 'MEDIA_DECODE_CONCURRENCY must be a whole number' })
  @Min(1)
  @Max(64)
  MEDIA_DECODE_CONCURRENCY = 2;

  /** Photos that may wait for a decoder; past it an upload answers 503 with Retry-After. */
  @Transform(toInt)
  @IsInt({ message: 'MEDIA_DECODE_QUEUE must be a whole number' })
  @Min(0)
  @Max(10_000)
  MEDIA_DECODE_QUEUE = 16;

  /** The district's time zone: case codes count days in it, work hours are read in it (no DST assumed). */
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, { message: 'TIME_ZONE must be an IANA time zone name such as Asia/Shanghai' })
  TIME_ZONE = 'Asia/Shanghai';

  /** Report sources registered without an operator when the category allows it (comma separated). */
  @Matches(/^(|(warden|citizen|hotline|open311)(,(warden|citizen|hotline|open311))*)$/, {
    message: 'AUTO_REGISTER_SOURCES must be a comma-separated list of warden, citizen, hotline, open311',
  })
  AUTO_REGISTER_SOURCES = 'warden';

  /** Reports an anonymous client may send per minute (per IP). */
  @Transform(toInt)
  @IsInt({ message: 'REPORT_RATE_LIMIT must be a whole number per minute' })
  @Min(1)
  @Max(100_000)
  REPORT_RATE_LIMIT = 20;

  /** Reports one signed-in caller (warden, operator…) may send per minute; never below REPORT_RATE_LIMIT. */
  @Transform(toInt)
  @IsInt({ message: 'REPORT_RATE_LIMIT_STAFF must be a whole number per minute' })
  @Min(1)
  @Max(100_000)
  REPORT_RATE_LIMIT_STAFF = 600;

  /** Anonymous reads (Open311 lists and requests, a case by its tracking token) one client may make per minute. */
  @Transform(toInt)
  @IsInt({ message: 'READ_RATE_LIMIT must be a whole number per minute' })
  @Min(1)
  @Max(1_000_000)
  READ_RATE_LIMIT = 120;

  /** Login and password-change attempts one client address may make per minute (any account). */
  @Transform(toInt)
  @IsInt({ message: 'LOGIN_RATE_LIMIT must be a whole number per minute' })
  @Min(1)
  @Max(100_000)
  LOGIN_RATE_LIMIT = 30;

  /** Wrong passwords in a row one account may get before each further one locks it (from any address) for a doubling time. */
  @Transform(toInt)
  @IsInt({ message: 'LOGIN_BACKOFF_FREE_FAILURES must be a whole number' })
  @Min(1)
  @Max(1000)
  LOGIN_BACKOFF_FREE_FAILURES = 5;

  /** The longest an account is locked after wrong passwords (seconds). */
  @Transform(toInt)
  @IsInt({ message: 'LOGIN_BACKOFF_MAX_S must be a whole number of seconds' })
  @Min(1)
  @Max(86_400)
  LOGIN_BACKOFF_MAX_S = 900;

  /** Largest JSON or form body a route accepts unless it has its own limit (the import: IMPORT_MAX_BYTES; photos: MEDIA_MAX_BYTES). */
  @Transform(toInt)
  @IsInt({ message: 'BODY_MAX_BYTES must be a whole number of bytes' })
  @Min(1024)
  @Max(64 * 1024 * 1024)
  BODY_MAX_BYTES = 1024 * 1024;

  /**
   * Proxies (addresses or CIDRs, comma separated) whose X-Forwarded-For is believed, besides
   * loopback: set it to the load balancer's addresses, or every client shares its address.
   */
  @Matches(/^(|[0-9a-fA-F.:]+(\/\d{1,3})?(,[0-9a-fA-F.:]+(\/\d{1,3})?)*)$/, { message: 'TRUST_PROXY must be a comma-separated list of IP addresses or CIDRs, e.g. 10.0.0.0/8,192.168.1.10' })
  TRUST_PROXY = '';

  /** A port of its own for /metrics and /docs (keep it off the internet); unset: on the app's port, behind an admin token when NODE_ENV=production. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'OPS_PORT must be a port number' })
  @Min(1)
  @Max(65535)
  OPS_PORT?: number;

  /** Strict-Transport-Security on intake's answers: true where TLS terminates in front of it (default: when PUBLIC_BASE_URL is https). */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'HSTS must be true or false' })
  HSTS?: 'true' | 'false';

  /** Most reports one intake writes in one transaction (group commit: reports that arrive while a batch is written share the next one). */
  @Transform(toInt)
  @IsInt({ message: 'REPORT_BATCH_MAX must be a whole number of reports' })
  @Min(1)
  @Max(1000)
  REPORT_BATCH_MAX = 100;

  /**
   * Report batches one intake process prepares and writes at the same time. With 1 each batch's
   * duplicate search sees every case this process accepted before it.
   */
  @Transform(toInt)
  @IsInt({ message: 'REPORT_BATCH_CONCURRENCY must be a whole number of batches' })
  @Min(1)
  @Max(32)
  REPORT_BATCH_CONCURRENCY = 1;

  /** How often the outbox relay looks for rows when no wake-up hint arrives. */
  @Transform(toInt)
  @IsInt({ message: 'OUTBOX_POLL_MS must be a whole number of milliseconds' })
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_MS = 1000;

  /** A new report of the same category this close (metres) to an open case ... */
  @Transform(toInt)
  @IsInt({ message: 'DUPLICATE_RADIUS_M must be a whole number of metres' })
  @Min(0)
  @Max(10_000)
  DUPLICATE_RADIUS_M = 50;

  /** ... reported within this many hours is flagged as a possible duplicate. */
  @Transform(toInt)
  @IsInt({ message: 'DUPLICATE_WINDOW_H must be a whole number of hours' })
  @Min(0)
  @Max(24 * 30)
  DUPLICATE_WINDOW_H = 24;

  /** The limit of the verification step (核查), in work hours from the resolve. */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'VERIFY_LIMIT_WORK_HOURS must be a number of work hours' })
  @Min(0.25)
  @Max(80)
  VERIFY_LIMIT_WORK_HOURS = 2;

  /** Stage limit (受理/立案): minutes a report may wait for an operator before it is marked against the intake post. */
  @Transform(toInt)
  @IsInt({ message: 'REGISTER_LIMIT_MIN must be a whole number of minutes' })
  @Min(1)
  @Max(24 * 60)
  REGISTER_LIMIT_MIN = 10;

  /** Stage limit (派遣): minutes a registered case may wait for a dispatch by hand (automatic routing is on time). */
  @Transform(toInt)
  @IsInt({ message: 'DISPATCH_LIMIT_MIN must be a whole number of minutes' })
  @Min(1)
  @Max(24 * 60)
  DISPATCH_LIMIT_MIN = 15;

  /** Stage limit (核查/核实): minutes the warden given a check task has to make it. */
  @Transform(toInt)
  @IsInt({ message: 'CHECK_LIMIT_MIN must be a whole number of minutes' })
  @Min(1)
  @Max(7 * 24 * 60)
  CHECK_LIMIT_MIN = 30;

  /** How often the dispatcher looks for registered cases without a route job and clocks that are due but were lost. */
  @Transform(toInt)
  @IsInt({ message: 'SWEEP_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(100)
  @Max(3_600_000)
  SWEEP_INTERVAL_MS = 30_000;

  /** Jobs each dispatcher process works on at once, per queue. */
  @Transform(toInt)
  @IsInt({ message: 'DISPATCHER_CONCURRENCY must be a whole number' })
  @Min(1)
  @Max(200)
  DISPATCHER_CONCURRENCY = 8;

  /**
   * The queues this dispatcher process works (comma separated; default all). Run notification
   * deliveries in a process of their own (`notifications` in one, the rest in another) so that
   * their HTTP, retries and bookkeeping never share an event loop and a pool with routing.
   */
  @Matches(/^(routing|clocks|bulletins|maintenance|notifications)(,(routing|clocks|bulletins|maintenance|notifications))*$/, {
    message: 'DISPATCHER_QUEUES must be a comma-separated list of routing, clocks, bulletins, maintenance, notifications',
  })
  DISPATCHER_QUEUES = 'routing,clocks,bulletins,maintenance,notifications';

  /** Local time (HH:MM, TIME_ZONE) of the daily summary (每日汇总) of the previous day. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'EVALUATION_DAILY_AT must be a local time HH:MM, e.g. 08:00' })
  EVALUATION_DAILY_AT = '08:00';

  /** Local time (HH:MM, TIME_ZONE) on Mondays of the weekly bulletin (每周通报) of the previous ISO week. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'EVALUATION_WEEKLY_AT must be a local time HH:MM, e.g. 08:30' })
  EVALUATION_WEEKLY_AT = '08:30';

  /** Recurrence hotspots (防反弹): a report this close (metres) to a closed case of the same category ... */
  @Transform(toInt)
  @IsInt({ message: 'HOTSPOT_RADIUS_M must be a whole number of metres' })
  @Min(1)
  @Max(5000)
  HOTSPOT_RADIUS_M = 50;

  /** ... within this many days after it was closed counts as the problem coming back. */
  @Transform(toInt)
  @IsInt({ message: 'HOTSPOT_WINDOW_DAYS must be a whole number of days' })
  @Min(1)
  @Max(366)
  HOTSPOT_WINDOW_DAYS = 30;

  /** Events that may wait in one feed connection's send buffer; past it the client is cut off ("slow_consumer") and resumes. */
  @Transform(toInt)
  @IsInt({ message: 'FEED_MAX_BUFFERED_EVENTS must be a whole number of events' })
  @Min(10)
  @Max(1_000_000)
  FEED_MAX_BUFFERED_EVENTS = 2000;

  /** How long a new feed connection without `auth.afterSeq` waits for a `resume` before it goes live from its connection point. */
  @Transform(toInt)
  @IsInt({ message: 'FEED_RESUME_GRACE_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(30_000)
  FEED_RESUME_GRACE_MS = 1000;

  /** Recent case events each feed node keeps in memory to serve `resume` without PostgreSQL. */
  @Transform(toInt)
  @IsInt({ message: 'FEED_REPLAY_MEMORY must be a whole number of events' })
  @Min(0)
  @Max(1_000_000)
  FEED_REPLAY_MEMORY = 20_000;

  /** How often `stats` may be pushed (at most once a second). */
  @Transform(toInt)
  @IsInt({ message: 'FEED_STATS_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(1000)
  @Max(600_000)
  FEED_STATS_INTERVAL_MS = 1000;

  /** How often a feed node checks PostgreSQL for events the Redis stream has not brought (Redis down or flushed). */
  @Transform(toInt)
  @IsInt({ message: 'FEED_CATCHUP_MS must be a whole number of milliseconds' })
  @Min(50)
  @Max(600_000)
  FEED_CATCHUP_MS = 1000;

  /** After each read of the event stream, how long a feed node gathers further events before the next (fewer, larger writes to each connection). */
  @Transform(toInt)
  @IsInt({ message: 'FEED_BATCH_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(1000)
  FEED_BATCH_MS = 0;

  /** WebSocket compression (permessage-deflate) on the feed: off by default; on, every packet socket.io sends is deflated per connection (docs/performance.md, "Live feed fan-out"). */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'FEED_PER_MESSAGE_DEFLATE must be true or false' })
  FEED_PER_MESSAGE_DEFLATE: 'true' | 'false' = 'false';

  /** Cases one anonymous feed connection may track at once. */
  @Transform(toInt)
  @IsInt({ message: 'FEED_MAX_TRACKED must be a whole number' })
  @Min(1)
  @Max(1000)
  FEED_MAX_TRACKED = 20;

  /** Anonymous feed connections one client address may hold at once (staff, known by their token, are not counted); past it a connection is refused (`too_many_connections`). */
  @Transform(toInt)
  @IsInt({ message: 'FEED_MAX_CONNECTIONS_PER_IP must be a whole number' })
  @Min(1)
  @Max(100_000)
  FEED_MAX_CONNECTIONS_PER_IP = 50;

  /** Messages (resume, track, untrack) one feed connection may send per second (re-tracking FEED_MAX_TRACKED cases at once fits); past it the connection is cut (`rate_limited`). */
  @Transform(toInt)
  @IsInt({ message: 'FEED_MAX_MESSAGES_PER_SECOND must be a whole number' })
  @Min(1)
  @Max(10_000)
  FEED_MAX_MESSAGES_PER_SECOND = 50;

  /** Origins allowed to open feed connections from a browser: `*` or a comma-separated list of origins. */
  @IsString()
  @Matches(/^(\*|https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*)$/, { message: 'FEED_CORS_ORIGINS must be * or a comma-separated list of http(s) origins' })
  FEED_CORS_ORIGINS = '*';

  /** The built web console intake serves at `/` (`npm run build` writes it). */
  @IsString()
  @MinLength(1)
  CONSOLE_DIR = './dist/console';

  /**
   * The platform's public address (scheme, host, optional path: https://wangge.example.cn) as
   * clients reach it: Open311 discovery and absolute media URLs are built from it, never from a
   * request's Host header; https turns HSTS on. Unset: http://localhost:INTAKE_PORT (set it before going live).
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s,?#]+$/, { message: 'PUBLIC_BASE_URL must be an http(s) URL without query or fragment, e.g. https://wangge.example.cn' })
  PUBLIC_BASE_URL?: string;

  /** The SMTP server of email notifications (smtp://user:pass@host:587 or smtps://…); unset: email channels and personal email are not sent (their deliveries fail, naming it). */
  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtps://user:pass@mail.example.cn:465' })
  SMTP_URL?: string;

  /** The sender of email notifications. */
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  SMTP_FROM = 'Wangge <noreply@wangge.local>';

  /** Notification deliveries each dispatcher process sends at once (its own queue: a slow endpoint never holds routing or clocks). */
  @Transform(toInt)
  @IsInt({ message: 'NOTIFY_CONCURRENCY must be a whole number' })
  @Min(1)
  @Max(500)
  NOTIFY_CONCURRENCY = 32;

  /** How long one delivery may take (connect, send, answer) before it counts as failed. */
  @Transform(toInt)
  @IsInt({ message: 'NOTIFY_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  @Max(120_000)
  NOTIFY_TIMEOUT_MS = 5000;

  /** Attempts of a delivery before it is dead (listed for an admin to retry). */
  @Transform(toInt)
  @IsInt({ message: 'NOTIFY_ATTEMPTS must be a whole number' })
  @Min(1)
  @Max(50)
  NOTIFY_ATTEMPTS = 10;

  /** The first retry's wait; each later one waits twice as long (capped at an hour). */
  @Transform(toInt)
  @IsInt({ message: 'NOTIFY_BACKOFF_MS must be a whole number of milliseconds' })
  @Min(10)
  @Max(3_600_000)
  NOTIFY_BACKOFF_MS = 5000;

  /** How often the dispatcher looks for new case events to notify (assigned, escalated, overdue, supervised). */
  @Transform(toInt)
  @IsInt({ message: 'NOTIFY_POLL_MS must be a whole number of milliseconds' })
  @Min(10)
  @Max(60_000)
  NOTIFY_POLL_MS = 250;

  /** The Open311 endpoint of a test deployment (e.g. https://test.wangge.example.cn/open311/v2), listed by discovery as `type: test`. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s,?#]+$/, { message: 'OPEN311_TEST_URL must be an http(s) URL without query or fragment' })
  OPEN311_TEST_URL?: string;

  /** The feed's address as browsers reach it (e.g. https://feed.example.org); unset: the page's own host on FEED_PORT. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s,]+$/, { message: 'FEED_PUBLIC_URL must be an http(s) URL' })
  FEED_PUBLIC_URL?: string;

  /** Optional base-map raster tiles under the console's maps ({z}/{x}/{y}, e.g. OSM or Tianditu); unset: the district's own layers only. */
  @IsOptional()
  @Matches(/^https?:\/\/\S*\{z\}\S*$/, { message: 'MAP_TILE_URL must be an http(s) URL with {z}, {x} and {y}' })
  MAP_TILE_URL?: string;

  /** The base map's attribution line. */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  MAP_TILE_ATTRIBUTION?: string;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** An IPv4 or IPv6 address, optionally with a prefix length that fits it (10.0.0.0/8, fd00::/64). */
function isAddressOrCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/** Validates raw environment variables; throws a {@link ConfigurationError} naming every bad value. */
export function validateEnvironment(raw: Record<string, string | undefined>): EnvironmentVariables {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, cleaned, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((message) =>
      message.startsWith(e.property) ? `${message} (got ${JSON.stringify(e.value)})` : `${e.property}: ${message} (got ${JSON.stringify(e.value)})`,
    ),
  );
  const badProxy = typeof env.TRUST_PROXY === 'string' ? env.TRUST_PROXY.split(',').find((p) => p !== '' && !isAddressOrCidr(p)) : undefined;
  if (badProxy !== undefined && problems.every((p) => !p.startsWith('TRUST_PROXY'))) {
    problems.push(`TRUST_PROXY: ${JSON.stringify(badProxy)} is not an IP address or CIDR (got ${JSON.stringify(env.TRUST_PROXY)})`);
  }
  if (env.TRACKING_TOKEN_SECRET !== undefined && env.TRACKING_TOKEN_SECRET === env.JWT_SECRET) {
    problems.push('TRACKING_TOKEN_SECRET must differ from JWT_SECRET, or rotating the JWT secret would not be possible without breaking tracking links');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return env;
}
