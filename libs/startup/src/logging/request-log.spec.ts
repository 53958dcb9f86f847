import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { requestLog } from './request-log';

function logger(level: string) {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: pino({ level, base: undefined }, { write: (text: string) => lines.push(JSON.parse(text) as Record<string, unknown>) }) };
}

/** A request through the middleware, answered with `status` (or failing with `error`). */
function answer(mw: ReturnType<typeof requestLog>, url: string, status: number, error?: Error) {
  const req = { method: 'POST', url } as IncomingMessage;
  const res = Object.assign(new EventEmitter(), { statusCode: status }) as unknown as ServerResponse;
  let passed = false;
  mw(req, res, () => (passed = true));
  const listening = res.listenerCount('finish') + res.listenerCount('close') + res.listenerCount('error');
  if (error) res.emit('error', error);
  else res.emit('finish');
  res.emit('close');
  return { passed, listening, left: res.listenerCount('finish') + res.listenerCount('close') + res.listenerCount('error') };
}

describe('requestLog', () => {
  it('at warn, writes nothing for an answered request, and still a warning for a refusal and an error for a failure', () => {
    const { lines, log } = logger('warn');
    const mw = requestLog(log);
    expect(answer(mw, '/api/v1/cases', 201)).toEqual({ passed: true, listening: 3, left: 0 });
    expect(lines).toEqual([]);
    answer(mw, '/api/v1/cases/5f0c?trackingToken=secret-value-1234', 404);
    answer(mw, '/api/v1/cases', 500);
    answer(mw, '/api/v1/cases', 200, new Error('socket hang up'));
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'request completed', req: { id: 2, method: 'POST', url: '/api/v1/cases/5f0c?trackingToken=[redacted]' }, res: { statusCode: 404 }, responseTime: expect.any(Number) }),
      expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 500 }, err: expect.objectContaining({ message: 'failed with status code 500' }) }),
      expect.objectContaining({ level: 50, msg: 'request errored', err: expect.objectContaining({ message: 'socket hang up' }) }),
    ]);
  });

  it('logs a 503 (database out of reach) as a warning, answered requests at info when asked', () => {
    const { lines, log } = logger('info');
    const mw = requestLog(log);
    answer(mw, '/api/v1/cases', 503);
    answer(mw, '/api/v1/categories', 200);
    expect(lines.map((l) => [l.level, (l.res as { statusCode: number }).statusCode, l.msg])).toEqual([
      [40, 503, 'request errored'],
      [30, 200, 'request completed'],
    ]);
  });

  it('leaves probes and scrapes out, and does nothing at all when the level is silent', () => {
    const { lines, log } = logger('info');
    const mw = requestLog(log);
    expect(answer(mw, '/health', 500).listening).toBe(0);
    expect(answer(mw, '/metrics', 200).listening).toBe(0);
    expect(lines).toEqual([]);
    expect(answer(requestLog(logger('silent').log), '/api/v1/cases', 500)).toEqual({ passed: true, listening: 0, left: 0 });
  });
});
