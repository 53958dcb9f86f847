import { Logger, type ArgumentsHost } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiExceptionFilter } from './api-exception.filter';

/** An HTTP host whose response records its status, headers and body. */
function host() {
  const res = {
    headersSent: false,
    statusCode: 0,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    setHeader(name: string, value: string) {
      this.headers[name] = value;
    },
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
    },
  };
  const h = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
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
