import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, requestPath, verifyJsonDepth } from '@wangge/operations';

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

type Parser = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** What a parser made of the body (body-parser's `req.body`). */
const bodyOf = (req: IncomingMessage) => (req as IncomingMessage & { body?: unknown }).body;

/**
 * JSON and form bodies parsed with a limit per route, decided before a byte of the body is read: a
 * declared Content-Length over the limit is answered 413 at once (the rest, never parsed, is dropped
 * as it arrives, or the connection closed past LINGER_MAX_BYTES); a body without one (chunked) is cut
 * off as soon as it passes the limit. Parsing is Fastify's step before any guard, throttle or handler,
 * so none of them sees a request whose body is too large. body-parser reads the bodies (charsets,
 * gzip and deflate, the depth check), so a refused body is refused as it always was; any other
 * content type is left unread, and a multipart body to the route that takes it (@fastify/multipart).
 */
export function installBodyParsers(instance: FastifyInstance, limits: BodyLimits, roleOf: (req: FastifyRequest) => Promise<string | null> = async () => null): void {
  const parsers = new Map<number, { json: Parser; form: Parser }>();
  const parsersFor = (bytes: number) => {
    let p = parsers.get(bytes);
    if (!p) {
      p = { json: bodyParser.json({ limit: bytes, verify: verifyJsonDepth }) as Parser, form: bodyParser.urlencoded({ extended: false, limit: bytes }) as Parser };
      parsers.set(bytes, p);
    }
    return p;
  };
  const routes = new Map((limits.routes ?? []).map((r) => [normalise(r.path), r]));

  /** The request's limit (null: its route reads the body itself); a promise only when the token must be looked at. */
  const limitOf = (req: FastifyRequest, declared: number | null): number | null | Promise<number | null> => {
    const route = routes.get(normalise(requestPath(req)));
    if (!route) return limits.defaultBytes;
    if (route.bytes === null || route.bytes <= limits.defaultBytes || !route.roles) return route.bytes;
    // The larger limit costs a look at the token only when the body may need it.
    if (declared !== null && declared <= limits.defaultBytes) return limits.defaultBytes;
    const roles = route.roles;
    const bytes = route.bytes;
    return roleOf(req)
      .catch(() => null)
      .then((role) => (role !== null && roles.includes(role) ? bytes : limits.defaultBytes));
  };

  // The limit is decided in preParsing (which can still set the answer's headers), read by the parsers.
  const limitKey = Symbol('body limit');
  type Limited = FastifyRequest & { [limitKey]?: number | null };
  instance.addHook('preParsing', (req, reply, payload, done) => {
    const length = req.headers['content-length'];
    if (length === undefined && req.headers['transfer-encoding'] === undefined) return done(null, payload);
    const declared = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
    const withLimit = (limit: number | null) => {
      (req as Limited)[limitKey] = limit;
      if (limit !== null && declared !== null && declared > limit) {
        // The 413 goes out at once. Up to LINGER_MAX_BYTES the rest of the body is read and dropped
        // (Node discards what a finished answer left unread), so the client, still writing, reads
        // the 413 instead of a reset; beyond it the connection is closed.
        if (declared > LINGER_MAX_BYTES) reply.header('Connection', 'close');
        return done(payloadTooLarge(limit));
      }
      done(null, payload);
    };
    const limit = limitOf(req, declared);
    if (limit instanceof Promise) limit.then(withLimit, (err: Error) => done(err));
    else withLimit(limit);
  });

  const parse = (kind: 'json' | 'form') => (req: FastifyRequest, _payload: unknown, done: (err: Error | null, body?: unknown) => void) => {
    const limit = (req as Limited)[limitKey];
    if (limit === null || limit === undefined) return done(null, undefined);
    parsersFor(limit)[kind](req.raw, undefined as unknown as ServerResponse, (err?: unknown) => (err ? done(err as Error) : done(null, bodyOf(req.raw))));
  };

  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('application/json', parse('json'));
  instance.addContentTypeParser('application/x-www-form-urlencoded', parse('form'));
  // Any other type is not read (as before): the route's validation says what it wanted.
  instance.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
}
