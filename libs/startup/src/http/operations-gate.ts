import { createServer, type Server } from 'node:http';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { ApiError, requestPath } from '@wangge/operations';

/** The operations endpoints: metrics and the API's documentation (health stays public: load balancers ask it). */
const OPERATIONS = /^\/(metrics|docs|docs-json|docs-yaml)(\/|$)/i;
const HEALTH = /^\/health(\/|$)/i;

export function isOperationsPath(path: string): boolean {
  return OPERATIONS.test(path);
}

export interface OperationsGate {
  /**
   * A port of their own: /metrics and /docs answer there only (with /health), and nothing else
   * does; the app's port answers them 404. null: they stay on the app's port.
   */
  port: number | null;
  /**
   * Who may read them on the app's port; null: anyone (development, the demo). Called with the
   * request; resolves, or throws the error to answer (401, 403).
   */
  check: ((req: FastifyRequest) => Promise<void>) | null;
}

const OPS_SERVER_REQUEST = Symbol('operations port');

/** An onRequest hook that keeps /metrics and /docs to the operations port or to the allowed callers. */
export function operationsGate(gate: OperationsGate): onRequestHookHandler {
  return (req, _reply, done) => {
    const onOpsPort = (req.raw as unknown as Record<symbol, boolean>)[OPS_SERVER_REQUEST] === true;
    const path = requestPath(req);
    const ops = isOperationsPath(path);
    if (gate.port !== null) {
      if (onOpsPort ? ops || HEALTH.test(path) : !ops) return done();
      return done(ApiError.notFound(`${req.method} ${path}`));
    }
    if (!ops || !gate.check) return done();
    gate.check(req).then(() => done(), done);
  };
}

/**
 * The operations port's server: the same app (its server's request handler), its requests marked
 * so the gate knows them. Listens when the app's server does and closes with it.
 */
export function operationsServer(appServer: Server, port: number): Server {
  const server = createServer((req, res) => {
    (req as unknown as Record<symbol, boolean>)[OPS_SERVER_REQUEST] = true;
    appServer.emit('request', req, res);
  });
  appServer.once('listening', () => {
    const address = appServer.address();
    const host = typeof address === 'object' && address ? address.address : undefined;
    server.listen(port, host);
  });
  appServer.once('close', () => server.close());
  return server;
}
