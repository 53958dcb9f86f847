/**
 * A feed node as a process of its own, for tests with several nodes and tests that kill one. Run
 * with `node -r test/support/ts-register.cjs test/feed/support/feed-process.ts` and the
 * configuration in the environment, as `npm run start:feed` would read it. Prints `ready <port>`.
 */
import 'reflect-metadata';
import { loadAppConfig } from '@wangge/config';
import { createFeedApp } from '../../../apps/feed/src/feed.app';

async function main(): Promise<void> {
  const config = loadAppConfig();
  const app = await createFeedApp(config);
  await app.listen(config.ports.feed, '127.0.0.1');
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
  process.stderr.write(`feed-process: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
