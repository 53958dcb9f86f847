import { describe, expect, it } from 'vitest';
import { httpLogLevel } from './logging.module';

describe('httpLogLevel', () => {
  it('logs a 503 (database out of reach, Retry-After) as a warning, other 5xx as errors', () => {
    expect(httpLogLevel(503)).toBe('warn');
    expect(httpLogLevel(503, new Error('failed with status code 503'))).toBe('warn');
    expect(httpLogLevel(500)).toBe('error');
    expect(httpLogLevel(502)).toBe('error');
    expect(httpLogLevel(200, new Error('aborted'))).toBe('error');
  });

  it('logs refusals as warnings and the rest as info', () => {
    expect(httpLogLevel(422)).toBe('warn');
    expect(httpLogLevel(401)).toBe('warn');
    expect(httpLogLevel(201)).toBe('info');
    expect(httpLogLevel(304)).toBe('info');
  });
});
