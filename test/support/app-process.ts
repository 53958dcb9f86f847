/**
 * A dispatcher, feed or intake node as a process of its own, for tests that kill it (SIGKILL needs a
 * process), run several, or measure its memory. Run with `node -r test/support/ts-register.cjs test/support/app-process.ts
 * <dispatcher|feed|intake>` and the configuration in the environment (DATABASE_URL, REDIS_URL, JWT_SECRET,
 * DISPATCHER_PORT / FEED_PORT…), as `npm run start:<app>` would read it. Prints one line
 * `ready <port>` once it serves; SIGTERM closes it gracefully.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { loadAppConfig, type AppConfig } from '@wangge/config';
import { createDispatcherApp } from '../../apps/dispatcher/src/dispatcher.app';
import { createFeedApp } from '../../apps/feed/src/feed.app';
import { createIntakeApp } from '../../apps/intake/src/intake.app';

const APPS: Record<string, { create(config: AppConfig): Promise<INestApplication>; port(config: AppConfig): number }> = {
  dispatcher: {
    create: (config) => createDispatcherApp(config),
    port: (config) => config.ports.dispatcher,
  },
  feed: {
    create: (config) => createFeedApp(config),
    port: (config) => config.ports.feed,
  },
  intake: {
    create: (config) => createIntakeApp(config),
    port: (config) => config.ports.intake,
  },
};

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const app = APPS[name];
  if (!app) throw new Error(`usage: app-process.ts <${Object.keys(APPS).join('|')}>, not "${name}"`);
  const config = loadAppConfig();
  const nest = await app.create(config);
  await nest.listen(app.port(config), '127.0.0.1');
  const { port } = nest.getHttpServer().address() as { port: number };
  process.stdout.write(`ready ${port}\n`);
  process.once('SIGTERM', () => {
    nest.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`app-process: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
