import { describe, expect, it } from 'vitest';
import { formatLogLine, PrettyLogStream, redactUrl, useColour } from './log-format';

function stream(level: string, colour = false) {
  const lines: string[] = [];
  const s = new PrettyLogStream('intake', level, colour, { write: (text: string) => lines.push(text) });
  const log = (entry: Record<string, unknown>) => s.write(JSON.stringify({ time: '2026-12-06T20:17:13.308Z', service: 'intake', ...entry }));
  return { lines, log, raw: (text: string) => s.write(text) };
}

const at = (h: number, m: number, s: number) => new Date(2026, 11, 6, h, m, s);

describe('formatLogLine', () => {
  it('writes time, process, level and message in columns, without colour codes unless asked', () => {
    expect(formatLogLine({ time: at(9, 5, 3), name: 'intake', level: 30, message: 'intake listening on http://localhost:3000' }, false)).toBe(
      '09:05:03 intake     INFO  intake listening on http://localhost:3000',
    );
    expect(formatLogLine({ time: at(9, 5, 3), name: 'dispatcher', level: 40, message: 'slow' }, false)).toBe('09:05:03 dispatcher WARN  slow');
    const coloured = formatLogLine({ time: at(9, 5, 3), name: 'feed', level: 50, message: 'broken' }, true);
    expect(coloured).toContain('\x1b[31m');
    expect(coloured.split('\x1b').map((part, i) => (i === 0 ? part : part.replace(/^\[\d+m/, ''))).join('')).toBe('09:05:03 feed       ERROR broken');
  });

  it('colours a terminal only, unless told always or never', () => {
    expect(useColour('auto', { isTTY: true })).toBe(true);
    expect(useColour('auto', {})).toBe(false);
    expect(useColour('always', {})).toBe(true);
    expect(useColour('never', { isTTY: true })).toBe(false);
  });
});

describe('PrettyLogStream', () => {
  it('at info, shows what a person needs (a process listening, warnings, errors), not Nest start-up details nor answered requests', () => {
    const { lines, log } = stream('info');
    log({ level: 30, context: 'InstanceLoader', msg: 'AppModule dependencies initialized' });
    log({ level: 30, context: 'RouterExplorer', msg: 'Mapped {/api/v1/cases, POST} route' });
    log({ level: 30, req: { method: 'GET', url: '/api/v1/categories' }, res: { statusCode: 200 }, responseTime: 3, msg: 'request completed' });
    log({ level: 30, context: 'intake', msg: 'intake listening on http://localhost:3000' });
    log({ level: 40, context: 'jobs', msg: 'ignored 20 jobs of other databases' });
    log({ level: 40, req: { method: 'GET', url: '/api/v1/cases/1' }, res: { statusCode: 401 }, responseTime: 2, msg: 'request completed' });
    log({ level: 50, context: 'OutboxRelay', msg: 'relay failed', err: { message: 'boom', stack: 'Error: boom\n    at relay (relay.ts:1)' } });
    expect(lines.map((l) => l.slice(9))).toEqual([
      'intake     INFO  intake listening on http://localhost:3000\n',
      'intake     WARN  [jobs] ignored 20 jobs of other databases\n',
      'intake     WARN  GET /api/v1/cases/1 → 401 (2 ms)\n',
      'intake     ERROR [OutboxRelay] relay failed: boom\n    Error: boom\n        at relay (relay.ts:1)\n',
    ]);
    expect(lines.join('')).not.toMatch(/^\{/m);
  });

  it('shows everything from debug on, and only warnings and errors at warn', () => {
    const debug = stream('debug');
    debug.log({ level: 30, context: 'InstanceLoader', msg: 'AppModule dependencies initialized' });
    debug.log({ level: 30, req: { method: 'GET', url: '/x' }, res: { statusCode: 200 }, msg: 'request completed' });
    expect(debug.lines).toHaveLength(2);
    expect(debug.lines[0]).toContain('INFO  AppModule dependencies initialized');

    const warn = stream('warn');
    warn.log({ level: 30, context: 'intake', msg: 'intake listening' });
    warn.log({ level: 40, msg: 'careful' });
    expect(warn.lines).toHaveLength(1);
    expect(stream('silent').lines).toEqual([]);
  });

  it('passes a line that is not JSON through as it is', () => {
    const { lines, raw } = stream('info');
    raw('plain text\n');
    expect(lines).toEqual(['plain text\n']);
  });
});

describe('redactUrl', () => {
  it('hides tracking tokens, passwords and keys in the query, and the token of Open311 token lookups', () => {
    expect(redactUrl('/api/v1/cases/5f0c?trackingToken=AbCdEfGh12345678xyz')).toBe('/api/v1/cases/5f0c?trackingToken=[redacted]');
    expect(redactUrl('/api/v1/cases/5f0c?lang=zh&trackingToken=secret-value-1234&x=1')).toBe('/api/v1/cases/5f0c?lang=zh&trackingToken=[redacted]&x=1');
    expect(redactUrl('/open311/v2/tokens/AbCdEfGh12345678.json?jurisdiction_id=410104')).toBe('/open311/v2/tokens/[redacted].json?jurisdiction_id=410104');
    expect(redactUrl('/open311/v2/requests.json?api_key=k123')).toBe('/open311/v2/requests.json?api_key=[redacted]');
    expect(redactUrl('/x?tracking%54oken=abc')).toBe('/x?tracking%54oken=[redacted]');
    expect(redactUrl('/api/v1/cases?status=reported&limit=20')).toBe('/api/v1/cases?status=reported&limit=20');
    expect(redactUrl('/api/v1/locate?lng=113.68&lat=34.74')).toBe('/api/v1/locate?lng=113.68&lat=34.74');
  });
});
