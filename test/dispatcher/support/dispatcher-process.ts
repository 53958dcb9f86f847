/**
 * A dispatcher as a process of its own, for tests that kill it (SIGKILL needs a process). Run with
 * `node -r test/support/ts-register.cjs test/dispatcher/support/dispatcher-process.ts`
 * and the configuration in the environment (DATABASE_URL, REDIS_URL, JWT_SECRET, DISPATCHER_PORT…),
 * as `npm run start:dispatcher` would read it. Prints one line `ready <port>` once the workers run;
 * SIGTERM closes it gracefully.
 */
import 'reflect-metadata';
import { loadAppConfig } from '@wangge/config';
import { createDispatcherApp } from '../../../apps/dispatcher/src/dispatcher.app';

async function main(): Promise<void> {
  const config = loadAppConfig();
  const app = await createDispatcherApp(config);
  await app.listen(config.ports.dispatcher, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.stdout.write(`ready ${port}\n`);
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`dispatcher-process: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
