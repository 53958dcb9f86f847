import type { INestApplication } from '@nestjs/common';
import { ConfigurationError, loadAppConfig, type AppConfig } from '@wangge/config';
import { Logger } from 'nestjs-pino';

/**
 * The main() of every app: validate the configuration before anything is created (a clear message
 * per bad value, exit 1), build the app, listen, and log where.
 */
export function runProcess(
  service: string,
  create: (config: AppConfig) => Promise<INestApplication>,
  port: (config: AppConfig) => number,
): void {
  let config: AppConfig;
  try {
    config = loadAppConfig();
  } catch (err) {
    if (err instanceof ConfigurationError) {
      process.stderr.write(`${service}: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  create(config)
    .then(async (app) => {
      await listenOnEveryInterface(app, port(config));
      app.get(Logger).log(`${service} listening on http://localhost:${port(config)}`, service);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${service}: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    });
}

/**
 * Listens on every interface, IPv6 and IPv4 (`::`), or IPv4's only where the machine has no IPv6,
 * as Node's own `listen(port)` does: Fastify's default host is loopback only.
 */
async function listenOnEveryInterface(app: INestApplication, port: number): Promise<void> {
  try {
    await app.listen(port, '::');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAFNOSUPPORT' && (err as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw err;
    await app.listen(port, '0.0.0.0');
  }
}
