import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { keepProtocolBatchesTogether } from './protocol-batch-affinity';
import { acquirePidLock } from './pid-lock';

export interface EmbeddedPostgresOptions {
  /** Directory of the PostgreSQL data files; created and initialised on first start. */
  dataDir: string;
  /** Preferred port on 127.0.0.1 (default 5433). When it is taken, the system picks a free one. */
  port?: number;
  /**
   * Client connections served at once (default 100). The socket server's own default is 1, which
   * refuses the second connection of any pool: this must cover every app's pool plus the launcher.
   */
  maxConnections?: number;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres:// URL for any client: user postgres, database postgres, no password, 127.0.0.1 only. */
  url: string;
  port: number;
  dataDir: string;
  /** Closes the socket server, then PostgreSQL (a clean shutdown: no recovery needed next time). */
  stop(): Promise<void>;
}

export const EMBEDDED_POSTGRES_DEFAULT_PORT = 5433;
const HOST = '127.0.0.1';

function isAddressInUse(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

async function listen(db: PGlite, port: number, maxConnections: number, log: (m: string) => void): Promise<PGLiteSocketServer> {
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const server = new PGLiteSocketServer({ db, host: HOST, port, maxConnections });
  keepProtocolBatchesTogether(server);
  server.addEventListener('error', (event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    log(`embedded PostgreSQL socket: ${detail instanceof Error ? detail.message : String(detail)}`);
  });
  await server.start();
  return server;
}

/**
 * PostgreSQL 17 with PostGIS, in this process (PGlite, WebAssembly), served over TCP on 127.0.0.1
 * so that every app connects with an ordinary postgres:// URL.
 *
 * PGlite is one backend: the socket server multiplexes the connections onto it, one message at a
 * time, and once a connection opens a transaction no other connection runs a statement until that
 * transaction ends. What follows for code that runs on it:
 * - a transaction that waits for a query on another connection of the pool waits forever;
 * - session state is shared by all connections: SET, advisory locks (never exclusive), named
 *   prepared statements (the same name from two connections fails), temporary tables;
 * - LISTEN/NOTIFY does not reach other connections; startup parameters (statement_timeout,
 *   application_name) are ignored.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  const releaseLock = acquirePidLock(`${dataDir}.lock`);

  let db: PGlite | undefined;
  try {
    const [{ PGlite }, { postgis }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-postgis')]);
    db = new PGlite(dataDir, { extensions: { postgis } });
    await db.waitReady;

    const maxConnections = options.maxConnections ?? 100;
    const preferred = options.port ?? EMBEDDED_POSTGRES_DEFAULT_PORT;
    let server: PGLiteSocketServer;
    try {
      server = await listen(db, preferred, maxConnections, log);
    } catch (err) {
      if (!isAddressInUse(err)) throw err;
      log(`port ${preferred} is in use; the embedded PostgreSQL takes a free one`);
      server = await listen(db, 0, maxConnections, log);
    }
    const conn = server.getServerConn();
    const port = Number(conn.slice(conn.lastIndexOf(':') + 1));

    const running = db;
    let stopping: Promise<void> | undefined;
    const stop = async (): Promise<void> => {
      try {
        await server.stop();
        // Connections still inside a transaction are rolled back as they detach: wait for that.
        await running.runExclusive(() => Promise.resolve());
        await running.close();
      } finally {
        releaseLock();
      }
    };
    return {
      url: `postgres://postgres@${HOST}:${port}/postgres`,
      port,
      dataDir,
      stop: () => (stopping ??= stop()),
    };
  } catch (err) {
    try {
      if (db && !db.closed) await db.close();
    } finally {
      releaseLock();
    }
    throw err;
  }
}
