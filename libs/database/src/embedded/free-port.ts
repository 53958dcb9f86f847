import { createServer } from 'node:net';

/**
 * Binds `port` on `host` (all interfaces when omitted) and releases it at once; resolves to the
 * bound port, or undefined when it is taken. Port 0 asks the system for a free one.
 */
function tryBind(port: number, host?: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(undefined);
      else reject(err);
    });
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** True when nothing listens on `port` (checked the way an app binds it: all interfaces unless `host` is given). */
export async function isPortFree(port: number, host?: string): Promise<boolean> {
  return (await tryBind(port, host)) !== undefined;
}

/** `preferred` when it is free on `host`, else a port the system picks. */
export async function freePort(preferred: number, host = '127.0.0.1'): Promise<number> {
  const port = (await tryBind(preferred, host)) ?? (await tryBind(0, host));
  if (port === undefined) throw new Error(`no free TCP port on ${host}`);
  return port;
}
