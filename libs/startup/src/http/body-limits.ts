import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json, urlencoded } from 'express';
import { ApiError, verifyJsonDepth } from '@wangge/operations';

/** A route (its exact path) whose body limit is its own. */
export interface BodyLimitRoute {
  path: string;
  /** Its limit in bytes; null: the route reads its body itself (multipart) and enforces its own limit. */
  bytes: number | null;
  /**
   * Only callers of these roles get the larger limit (checked from the bearer token before the body
   * is read); anyone else has the default, so an anonymous client cannot make the app buffer it.
   */
  roles?: readonly string[];
}

export interface BodyLimits {
  /** Bytes of JSON or form body any other route accepts. */
  defaultBytes: number;
  routes?: BodyLimitRoute[];
}

/** The 413 of a body over its route's limit, in the platform's error shape. */
export function payloadTooLarge(limit: number): ApiError {
  return new ApiError(413, 'payload_too_large', `the request body is larger than ${limit} bytes / 请求体超过 ${limit} 字节`);
}

/** A refused body up to this size is read and dropped after the 413 (memory stays flat); a larger one closes the connection. */
const LINGER_MAX_BYTES = 64 * 1024 * 1024;

const normalise = (path: string) => path.toLowerCase().replace(/\/+$/, '') || '/';

/**
 * JSON and form parsing with a limit per route, decided before a byte of the body is read: a
 * declared Content-Length over the limit is answered 413 at once (the rest, never parsed, is dropped
 * as it arrives, or the connection closed past LINGER_MAX_BYTES); a body without one (chunked) is cut
 * off as soon as it passes the limit. No
 * guard, throttle or handler sees a request whose body is too large.
 */
export function limitedBodyParsers(limits: BodyLimits, roleOf: (req: Request) => Promise<string | null> = async () => null): RequestHandler {
  const parsers = new Map<number, RequestHandler[]>();
  const parsersFor = (bytes: number) => {
    let p = parsers.get(bytes);
    if (!p) {
      // Nest reserves `verify` only for `rawBody: true`, which we do not use.
      p = [json({ limit: bytes, verify: verifyJsonDepth }), urlencoded({ extended: false, limit: bytes })];
      parsers.set(bytes, p);
    }
    return p;
  };
  const routes = new Map((limits.routes ?? []).map((r) => [normalise(r.path), r]));

  const limitOf = async (req: Request, declared: number | null): Promise<number | null> => {
    const route = routes.get(normalise(req.path));
    if (!route) return limits.defaultBytes;
    if (route.bytes === null || route.bytes <= limits.defaultBytes || !route.roles) return route.bytes;
    // The larger limit costs a look at the token only when the body may need it.
    if (declared !== null && declared <= limits.defaultBytes) return limits.defaultBytes;
    const role = await roleOf(req).catch(() => null);
    return role !== null && route.roles.includes(role) ? route.bytes : limits.defaultBytes;
  };

  return (req: Request, res: Response, next: NextFunction) => {
    const length = req.headers['content-length'];
    const declared = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
    limitOf(req, declared).then((limit) => {
      if (limit === null) return next();
      if (declared !== null && declared > limit) {
        // The 413 goes out at once. Up to LINGER_MAX_BYTES the rest of the body is read and dropped
        // (Node discards what a finished answer left unread), so the client, still writing, reads
        // the 413 instead of a reset; beyond it the connection is closed.
        if (declared > LINGER_MAX_BYTES) res.setHeader('Connection', 'close');
        return next(payloadTooLarge(limit));
      }
      const [parseJson, parseForm] = parsersFor(limit);
      parseJson(req, res, (err?: unknown) => (err ? next(err) : parseForm(req, res, next)));
    }, next);
  };
}
