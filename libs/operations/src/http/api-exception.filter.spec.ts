import { Logger, type ArgumentsHost } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../errors/app-error';
import { ApiExceptionFilter, type ErrorFormat } from './api-exception.filter';
import { requestPath } from './request-path';

/** An HTTP host (of a request to `path`) whose response records its status, headers and body. */
function host(path = '/api/v1/cases') {
  // The parts of a FastifyReply and a FastifyRequest the filter uses.
  const res = {
    sent: false,
    statusCode: 0,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    header(name: string, value: string) {
      this.headers[name] = value;
      return this;
    },
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    send(body: unknown) {
      this.body = body;
    },
  };
  const req = { url: `${path}?x=1` };
  const h = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }) } as unknown as ArgumentsHost;
  return { h, res };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('ApiExceptionFilter while PostgreSQL is out of reach', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('answers every request 503 with Retry-After, and logs the outage once, not once a request', () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const filter = new ApiExceptionFilter();
    for (let i = 0; i < 50; i++) {
      const { h, res } = host();
      filter.catch(refused(), h);
      expect(res.statusCode).toBe(503);
      expect(res.headers['Retry-After']).toBe('5');
      vi.advanceTimersByTime(1_000);
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^database unavailable: connect ECONNREFUSED/);
    // A minute without such an answer ends the outage: the next one is logged again.
    vi.advanceTimersByTime(61_000);
    filter.catch(refused(), host().h);
    expect(warn).toHaveBeenCalledTimes(2);
  });
});

class ThingError extends AppError<'thing_taken'> {
  constructor() {
    super('thing_taken', 'conflict', 'the thing is taken / 已被占用', { field: 'thing' });
  }

  override extra() {
    return { holder: 'someone' };
  }
}

describe('ApiExceptionFilter and the errors libs throw', () => {
  it('answers an AppError with the status of its kind and the platform shape, extra members included', () => {
    const { h, res } = host();
    new ApiExceptionFilter().catch(new ThingError(), h);
    expect(res.statusCode).toBe(409);
    expect(res.body).toEqual({
      statusCode: 409,
      error: 'thing_taken',
      message: 'the thing is taken / 已被占用',
      details: [{ field: 'thing', problem: 'the thing is taken / 已被占用' }],
      holder: 'someone',
    });
  });

  it('sends Retry-After for a passing refusal (a quota, a busy worker), and none for others', () => {
    class BusyError extends AppError<'busy'> {
      constructor() {
        super('busy', 'unavailable', 'busy / 繁忙', { field: 'file', retryAfterSeconds: 7 });
      }
    }
    const busy = host();
    new ApiExceptionFilter().catch(new BusyError(), busy.h);
    expect([busy.res.statusCode, busy.res.headers['Retry-After']]).toEqual([503, '7']);
    const taken = host();
    new ApiExceptionFilter().catch(new ThingError(), taken.h);
    expect(taken.res.headers).toEqual({});
  });

  it('lets a format shape the body of the requests it matches; the status stays the filter’s', () => {
    const format: ErrorFormat = {
      matches: (req) => requestPath(req).startsWith('/other/'),
      write: (_req, res, _exception, body) => void res.status(body.statusCode).send(`<error>${body.error}</error>`),
    };
    const filter = new ApiExceptionFilter([format]);
    const other = host('/other/thing');
    filter.catch(new ThingError(), other.h);
    expect([other.res.statusCode, other.res.body]).toEqual([409, '<error>thing_taken</error>']);
    const api = host();
    filter.catch(new ThingError(), api.h);
    expect(api.res.statusCode).toBe(409);
    expect(api.res.body).toMatchObject({ error: 'thing_taken' });
  });
});
