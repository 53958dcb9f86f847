import { gzipSync } from 'node:zlib';
import fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBody } from '@wangge/operations';
import { installBodyParsers } from './body-limits';

/** A bare Fastify server with the platform's body parsing: every route answers what it was given. */
async function server(): Promise<{ app: FastifyInstance; url: string; handled: string[] }> {
  const app = fastify();
  const handled: string[] = [];
  installBodyParsers(
    app,
    { defaultBytes: 100, routes: [{ path: '/import', bytes: 1000, roles: ['admin'] }, { path: '/upload', bytes: null }] },
    async (req) => (req.headers.authorization === 'Bearer admin' ? 'admin' : null),
  );
  app.setErrorHandler((err, _req, reply) => {
    const body = toBody(err);
    void reply.status(body.statusCode).send(body);
  });
  for (const path of ['/echo', '/import', '/upload']) {
    app.post(path, async (req) => {
      handled.push(path);
      return { body: req.body === undefined ? '(not read)' : req.body };
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, handled };
}

describe('installBodyParsers (the body of every request, on Fastify)', () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server();
  });
  afterAll(async () => {
    await s.app.close();
  });

  const post = (path: string, body: RequestInit['body'], headers: Record<string, string>) => fetch(`${s.url}${path}`, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

  it('parses JSON and forms, gzip included; an empty JSON body is {}', async () => {
    expect(await (await post('/echo', '{"a":1}', { 'content-type': 'application/json; charset=utf-8' })).json()).toEqual({ body: { a: 1 } });
    expect(await (await post('/echo', 'a=1&b=x', { 'content-type': 'application/x-www-form-urlencoded' })).json()).toEqual({ body: { a: '1', b: 'x' } });
    const zipped = post('/echo', gzipSync('{"z":true}'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(await (await zipped).json()).toEqual({ body: { z: true } });
    expect(await (await post('/echo', '', { 'content-type': 'application/json' })).json()).toEqual({ body: {} });
  });

  it('refuses malformed JSON with 400 and leaves other types unread (the route says what it wanted)', async () => {
    const bad = await post('/echo', '{"a":', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'bad_request' });
    expect(await (await post('/echo', 'hello', { 'content-type': 'text/plain' })).json()).toEqual({ body: '(not read)' });
  });

  it('answers 413 before the route for a declared or a streamed body over the limit', async () => {
    const before = s.handled.length;
    const declared = await post('/echo', JSON.stringify({ a: 'x'.repeat(200) }), { 'content-type': 'application/json' });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: 'payload_too_large' });
    const chunks = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(`{"a":"${'y'.repeat(150)}`));
        c.enqueue(new TextEncoder().encode('"}'));
        c.close();
      },
    });
    const streamed = await post('/echo', chunks, { 'content-type': 'application/json' });
    expect(streamed.status).toBe(413);
    expect(s.handled.length).toBe(before);
  });

  it("gives a route's larger limit to the roles it names only, and leaves a self-reading route's body to it", async () => {
    const big = JSON.stringify({ a: 'x'.repeat(500) });
    expect((await post('/import', big, { 'content-type': 'application/json' })).status).toBe(413);
    expect((await post('/import', big, { 'content-type': 'application/json', authorization: 'Bearer admin' })).status).toBe(200);
    expect(await (await post('/upload', big, { 'content-type': 'application/json' })).json()).toEqual({ body: '(not read)' });
  });
});
