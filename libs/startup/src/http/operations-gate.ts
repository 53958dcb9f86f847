import { createServer, type RequestListener, type Server } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '@wangge/operations';

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
  check: ((req: Request) => Promise<void>) | null;
}

const OPS_SERVER_REQUEST = Symbol('operations port');

/** Express middleware that keeps /metrics and /docs to the operations port or to the allowed callers. */
export function operationsGate(gate: OperationsGate): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const onOpsPort = (req as unknown as Record<symbol, boolean>)[OPS_SERVER_REQUEST] === true;
    const ops = isOperationsPath(req.path);
    if (gate.port !== null) {
      if (onOpsPort ? ops || HEALTH.test(req.path) : !ops) return next();
      return next(ApiError.notFound(`${req.method} ${req.path}`));
    }
    if (!ops || !gate.check) return next();
    gate.check(req).then(() => next(), next);
  };
}

/**
 * The operations port's server: the same Express app, its requests marked so the gate knows
 * them. Listens when the app's server does and closes with it.
 */
export function operationsServer(handler: RequestListener, appServer: Server, port: number): Server {
  const server = createServer((req, res) => {
    (req as unknown as Record<symbol, boolean>)[OPS_SERVER_REQUEST] = true;
    handler(req, res);
  });
  appServer.once('listening', () => {
    const address = appServer.address();
    const host = typeof address === 'object' && address ? address.address : undefined;
    server.listen(port, host);
  });
  appServer.once('close', () => server.close());
  return server;
}
