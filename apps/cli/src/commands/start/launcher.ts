import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserDirectory } from '@wangge/auth';
import { type AppConfig, ConfigurationError, processEnvironment } from '@wangge/config';
import { createDataSource, EMBEDDED_POSTGRES_DEFAULT_PORT, isPortFree, readDatabaseIdentity, runMigrations, startEmbeddedPostgres } from '@wangge/database';
import { redisNamespace, type RedisNamespace } from '@wangge/jobs';
import { demoRefusal, isDatabaseEmpty } from '@wangge/demo';
import { seedDemoDistrict } from '../demo-history';
import { DEFAULT_HISTORY_SEED } from '../seed-demo.command';
import { pingRedis, RedisServerNotFoundError, startLocalRedis } from '@wangge/startup';
import type { CliContext } from '../cli-command';
import { ProcessSupervisor, SupervisorError } from '../process-supervisor';
import { loadOrCreateSecret } from './jwt-secret-file';
import { DEMO_LOGINS, type DemoLogin, printBanner, redact } from './start-banner';
import { TerminalLog } from './terminal-log';

const APPS = ['intake', 'feed', 'dispatcher'] as const;
type AppName = (typeof APPS)[number];

/**
 * Node flags per process, as in docker/entrypoint.sh and `npm run start:intake`. Intake: young
 * generation semi-spaces of 32 MB (a report's garbage dies there instead of being promoted: +10 %
 * reports/s) and the old generation capped at 384 MB, so V8 collects before it grows (resident
 * memory under load ~320 MB instead of ~450 MB; docs/performance.md).
 */
const NODE_ARGS: Record<AppName, readonly string[]> = {
  intake: ['--max-semi-space-size=32', '--max-old-space-size=384'],
  feed: [],
  dispatcher: [],
};
const PORT_VARIABLES: Record<AppName, string> = { intake: 'INTAKE_PORT', feed: 'FEED_PORT', dispatcher: 'DISPATCHER_PORT' };
const HEALTH_TIMEOUT_MS = 120_000;

/** Thrown at the next step of the start-up once Ctrl-C (or SIGTERM) asked to stop. */
class StopRequested extends Error {}

function parsePort(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError([`${name} must be a port number (got ${JSON.stringify(raw)})`]);
  }
  return port;
}

/** Starts everything `npm start` runs, keeps it running, and takes it down in order. */
export class Launcher {
  private readonly startedAt = Date.now();
  private readonly cleanups: { name: string; run: () => Promise<void> }[] = [];
  private readonly forceKills: (() => void)[] = [];
  private supervisor: ProcessSupervisor | undefined;
  /** The launcher's lines; at LOG_LEVEL and in LOG_FORMAT once the configuration is read. */
  private log = TerminalLog.beforeConfig();
  private booting = true;
  private stopRequested = false;
  /** Cuts short the start-up step in progress (the migration connection, the wait for the apps). */
  private interrupt: (() => Promise<void>) | undefined;
  private teardownDone: Promise<void> | undefined;
  private finish: (code: number) => void = () => undefined;
  private readonly finished = new Promise<number>((r) => (this.finish = r));

  constructor(private readonly ctx: CliContext) {}

  async run(): Promise<number> {
    const onSignal = (signal: NodeJS.Signals) => this.onSignal(signal);
    const onExit = () => {
      this.supervisor?.kill();
      for (const kill of this.forceKills) kill();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
    process.on('exit', onExit);
    try {
      try {
        await this.boot();
        this.booting = false;
        if (this.stopRequested) await this.shutdown(0);
      } catch (err) {
        this.booting = false;
        if (!this.stopRequested) {
          // Why it did not start is shown whatever LOG_LEVEL says, as the banner is.
          this.log.fatal('start', err instanceof ConfigurationError ? err.message : `could not start · 启动失败: ${err instanceof Error ? err.message : String(err)}`);
          const expected = err instanceof ConfigurationError || err instanceof StopRequested || err instanceof SupervisorError;
          if (!expected && err instanceof Error && err.stack) {
            process.stderr.write(`${err.stack}\n`);
          }
          await this.teardown();
          return 1;
        }
        await this.shutdown(0);
      }
      return await this.finished;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
      process.off('exit', onExit);
    }
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (this.stopRequested) {
      this.log.warn('start', `${signal} again: forced exit · 强制退出`);
      this.supervisor?.kill();
      for (const kill of this.forceKills) kill();
      process.exit(130);
    }
    this.stopRequested = true;
    this.log.info('start', `${signal}: stopping · 正在停止 (again to force · 再按一次强制退出)`);
    if (this.booting) {
      void this.interrupt?.().catch(() => undefined);
    } else {
      void this.shutdown(0);
    }
  }

  private async shutdown(code: number): Promise<void> {
    await this.teardown();
    this.log.info('start', `stopped · 已停止`);
    this.finish(code);
  }

  /** Stops what was started, last first: the apps, then the database and Redis they use. */
  private teardown(): Promise<void> {
    this.teardownDone ??= (async () => {
      for (const cleanup of this.cleanups.reverse()) {
        try {
          await cleanup.run();
        } catch (err) {
          this.log.error('start', `stopping ${cleanup.name} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })();
    return this.teardownDone;
  }

  /** Records how to stop something just started; stops at once when a stop was asked meanwhile. */
  private checkpoint(name?: string, stop?: () => Promise<void>): void {
    if (name && stop) this.cleanups.push({ name, run: stop });
    if (this.stopRequested) throw new StopRequested('stopping');
  }

  private async boot(): Promise<void> {
    const env = processEnvironment();
    // A fresh random secret stands in until DATA_DIR is known; it is kept only if none is stored yet.
    const candidate = randomBytes(32).toString('base64url');
    const trackingCandidate = randomBytes(32).toString('base64url');
    const initial = this.ctx.loadConfig({ JWT_SECRET: env.JWT_SECRET || candidate, TRACKING_TOKEN_SECRET: env.TRACKING_TOKEN_SECRET || trackingCandidate });
    this.log = new TerminalLog(initial);
    const dataDir = resolve(initial.dataDir);
    await mkdir(dataDir, { recursive: true });
    const jwtSecret = env.JWT_SECRET || (await this.storedSecret(join(dataDir, 'jwt-secret'), candidate));
    const trackingSecret = env.TRACKING_TOKEN_SECRET || (await this.storedSecret(join(dataDir, 'tracking-token-secret'), trackingCandidate, 'tracking-token'));
    const embeddedPort = parsePort(env.EMBEDDED_PG_PORT, 'EMBEDDED_PG_PORT', EMBEDDED_POSTGRES_DEFAULT_PORT);
    await this.checkAppPorts(initial);

    const redis = await this.redis(initial, dataDir);
    const database = await this.database(initial, dataDir, embeddedPort);
    // The embedded PGlite serves every connection from one session: no named prepared statements there.
    const databaseEnv = { DATABASE_URL: database.url, ...(database.embedded ? { DB_PREPARED_STATEMENTS: 'off' } : {}) };
    const config = this.ctx.loadConfig({ JWT_SECRET: jwtSecret, TRACKING_TOKEN_SECRET: trackingSecret, REDIS_URL: redis.url, ...databaseEnv });

    const demo = await this.prepareDatabase(config);
    this.checkpoint();

    const childEnv: NodeJS.ProcessEnv = {
      ...env,
      ...databaseEnv,
      REDIS_URL: redis.url,
      JWT_SECRET: jwtSecret,
      TRACKING_TOKEN_SECRET: trackingSecret,
      INTAKE_PORT: String(config.ports.intake),
      FEED_PORT: String(config.ports.feed),
      DISPATCHER_PORT: String(config.ports.dispatcher),
      LOG_COLOR: this.log.childColour,
    };
    // dist/apps/cli/src/commands/start → dist/apps
    const dist = resolve(__dirname, '../../../..');
    const supervisor = new ProcessSupervisor(
      APPS.map((app) => ({
        name: app,
        script: join(dist, app, 'src/main.js'),
        nodeArgs: NODE_ARGS[app],
        env: childEnv,
        healthUrl: `http://127.0.0.1:${config.ports[app]}/health`,
      })),
      {
        log: (source, level, message) => this.log.write(source, level, message),
        onGiveUp: (name) => {
          this.log.error('start', `${name} keeps failing; stopping everything · ${name} 反复退出，全部停止`);
          if (!this.booting && !this.stopRequested) {
            this.stopRequested = true;
            void this.shutdown(1);
          }
        },
      },
    );
    this.supervisor = supervisor;
    this.log.info('start', `starting ${APPS.join(', ')} · 启动应用`);
    supervisor.start();
    this.checkpoint('the apps', () => supervisor.stop());
    this.interrupt = () => supervisor.stop();
    await supervisor.waitHealthy(HEALTH_TIMEOUT_MS);
    this.interrupt = undefined;
    this.checkpoint();
    printBanner({ config, startedAt: this.startedAt, dataDir, database: database.description, redis: redis.description, demo });
  }

  private async storedSecret(path: string, candidate: string, kind: 'JWT' | 'tracking-token' = 'JWT'): Promise<string> {
    const { secret, created } = await loadOrCreateSecret(path, candidate);
    if (created) this.log.info('start', `generated a ${kind} secret, kept in ${path} · 已生成${kind === 'JWT' ? ' JWT ' : '查询码'}密钥`);
    return secret;
  }

  private async checkAppPorts(config: AppConfig): Promise<void> {
    for (const app of APPS) {
      const port = config.ports[app];
      if (!(await isPortFree(port))) {
        throw new ConfigurationError([
          `port ${port} (${PORT_VARIABLES[app]}, ${app}) is in use: stop what listens there or set ${PORT_VARIABLES[app]} · 端口 ${port} 已被占用`,
        ]);
      }
    }
  }

  private async redis(config: AppConfig, dataDir: string): Promise<{ url: string; description: string }> {
    if (config.redisUrl) return { url: config.redisUrl, description: `${redact(config.redisUrl)} (REDIS_URL)` };
    if (await pingRedis('127.0.0.1', 6379)) {
      this.log.info('start', 'using the Redis at 127.0.0.1:6379 · 使用本机 Redis');
      return { url: 'redis://127.0.0.1:6379', description: 'redis://127.0.0.1:6379 (already running · 本机已有)' };
    }
    const dir = join(dataDir, 'redis');
    this.log.info('start', `starting redis-server (data in ${dir}) · 启动 Redis`);
    try {
      const redis = await startLocalRedis({ dir, log: (line) => this.log.info('redis', line) });
      this.forceKills.push(() => redis.kill());
      this.checkpoint('Redis', () => redis.stop());
      return { url: redis.url, description: `${redis.url} (redis-server started here, data ${dir} · 已启动)` };
    } catch (err) {
      if (!(err instanceof RedisServerNotFoundError)) throw err;
      throw new ConfigurationError([
        'Redis is needed and none answers at 127.0.0.1:6379, and redis-server is not installed · 需要 Redis',
        'install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), or set REDIS_URL=redis://host:6379',
      ]);
    }
  }

  private async database(config: AppConfig, dataDir: string, port: number): Promise<{ url: string; description: string; embedded: boolean }> {
    if (config.databaseUrl) return { url: config.databaseUrl, description: `${redact(config.databaseUrl)} (DATABASE_URL)`, embedded: false };
    const dir = join(dataDir, 'pg');
    const t0 = Date.now();
    this.log.info('start', `starting the embedded PostgreSQL + PostGIS (data in ${dir}) · 启动内置数据库`);
    const pg = await startEmbeddedPostgres({
      dataDir: dir,
      port,
      maxConnections: Math.max(100, 4 * config.dbPoolSize + 10),
      log: (m) => this.log.info('postgres', m),
    });
    this.checkpoint('the embedded PostgreSQL', () => pg.stop());
    this.log.info('start', `embedded PostgreSQL ready on ${pg.url} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return { url: pg.url, description: `${pg.url} (embedded PGlite + PostGIS · 内置数据库, data ${dir})`, embedded: true };
  }

  /**
   * Migrations, then the demo district when the database is empty; returns the demo logins there are
   * and the Redis keys of the database (the apps read the same identity).
   */
  private async prepareDatabase(config: AppConfig): Promise<{ logins: DemoLogin[]; seeded: boolean; keys: RedisNamespace }> {
    const url = config.databaseUrl ?? '';
    const ds = createDataSource({ url, poolSize: 2, applicationName: 'wangge-start', preparedStatements: config.dbPreparedStatements });
    await ds.initialize();
    this.interrupt = () => ds.destroy();
    try {
      const t0 = Date.now();
      const applied = await runMigrations(ds);
      const took = `(${((Date.now() - t0) / 1000).toFixed(1)} s)`;
      this.log.info('start', applied.length ? `migrations applied: ${applied.join(', ')} ${took}` : 'schema is up to date · 数据库结构已是最新');
      this.checkpoint();
      const keys = redisNamespace(await readDatabaseIdentity(ds));
      if (await isDatabaseEmpty(ds)) {
        const refusal = demoRefusal(config.env);
        if (refusal) throw new ConfigurationError([`the database has no district yet, and ${refusal}`]);
        const t0 = Date.now();
        this.log.info('start', `empty database: building the demo district ${config.districtCode} · 空数据库，生成演示区`);
        const summary = await seedDemoDistrict(ds, config, { days: config.demoHistoryDays, seed: DEFAULT_HISTORY_SEED }, (message: string) =>
          this.log.info('demo', message),
        );
        this.log.info('start', `demo district ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        return { logins: summary.users, seeded: true, keys };
      }
      // The demo logins a database seeded earlier still has (the named ones and the wardens).
      return { logins: await new UserDirectory(ds).activeLogins(DEMO_LOGINS), seeded: false, keys };
    } finally {
      this.interrupt = undefined;
      if (ds.isInitialized) await ds.destroy();
    }
  }
}
