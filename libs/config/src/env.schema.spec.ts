import { describe, expect, it } from 'vitest';
import { ConfigurationError, validateEnvironment } from './env.schema';
import { toAppConfig } from './app-config';

const SECRET = 'x'.repeat(32);

describe('validateEnvironment', () => {
  it('applies the documented defaults', () => {
    const env = validateEnvironment({ JWT_SECRET: SECRET });
    expect(env).toMatchObject({ INTAKE_PORT: 3000, FEED_PORT: 3001, DISPATCHER_PORT: 3002, ROUTE_RADIUS_M: 30, MEDIA_DIR: './data/media', DISTRICT_CODE: '410104' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('converts numbers and keeps given values', () => {
    const env = validateEnvironment({ JWT_SECRET: SECRET, INTAKE_PORT: '8080', ROUTE_RADIUS_M: '45', DATABASE_URL: 'postgres://u@h:5432/db' });
    expect(env.INTAKE_PORT).toBe(8080);
    expect(env.ROUTE_RADIUS_M).toBe(45);
    expect(env.DATABASE_URL).toBe('postgres://u@h:5432/db');
  });

  it('names every bad value in one error', () => {
    let error: unknown;
    try {
      validateEnvironment({ JWT_SECRET: 'short', INTAKE_PORT: 'eighty', DATABASE_URL: 'mysql://x', ROUTE_RADIUS_M: '-3' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems.join('\n');
    expect(problems).toContain('JWT_SECRET must be at least 32 characters');
    expect(problems).toContain('INTAKE_PORT must be a port number');
    expect(problems).toContain('DATABASE_URL must be a postgres://');
    expect(problems).toMatch(/ROUTE_RADIUS_M.*(-3)/);
  });

  it('keeps the feed’s WebSocket compression off unless asked, and refuses anything but true or false', () => {
    expect(toAppConfig(validateEnvironment({ JWT_SECRET: SECRET })).feed.perMessageDeflate).toBe(false);
    expect(toAppConfig(validateEnvironment({ JWT_SECRET: SECRET, FEED_PER_MESSAGE_DEFLATE: 'true' })).feed.perMessageDeflate).toBe(true);
    expect(() => validateEnvironment({ JWT_SECRET: SECRET, FEED_PER_MESSAGE_DEFLATE: 'yes' })).toThrow(/FEED_PER_MESSAGE_DEFLATE must be true or false/);
  });

  it('requires a JWT secret', () => {
    expect(() => validateEnvironment({})).toThrow(/JWT_SECRET is required/);
  });
});

describe('the HTTP hardening variables', () => {
  it('defaults to safe limits: 1 MiB bodies, no proxy but loopback, operations endpoints on the app port', () => {
    const env = validateEnvironment({ JWT_SECRET: SECRET });
    expect(env).toMatchObject({ BODY_MAX_BYTES: 1024 * 1024, TRUST_PROXY: '', REPORT_RATE_LIMIT: 20, REPORT_RATE_LIMIT_STAFF: 600, FEED_MAX_CONNECTIONS_PER_IP: 50, FEED_MAX_MESSAGES_PER_SECOND: 50 });
    expect(env.OPS_PORT).toBeUndefined();
  });

  it('takes addresses and CIDRs in TRUST_PROXY and names a bad one', () => {
    expect(validateEnvironment({ JWT_SECRET: SECRET, TRUST_PROXY: '10.0.0.0/8,192.168.1.10,fd00::/64' }).TRUST_PROXY).toBe('10.0.0.0/8,192.168.1.10,fd00::/64');
    expect(() => validateEnvironment({ JWT_SECRET: SECRET, TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY: "10.0.0.0\/33" is not an IP address or CIDR/);
    expect(() => validateEnvironment({ JWT_SECRET: SECRET, TRUST_PROXY: '999.1.1.1' })).toThrow(/TRUST_PROXY/);
    expect(() => validateEnvironment({ JWT_SECRET: SECRET, TRUST_PROXY: 'lb.example.org' })).toThrow(/TRUST_PROXY must be a comma-separated list/);
  });
});

describe('TRACKING_TOKEN_SECRET', () => {
  const JWT = 'j'.repeat(32);
  it('is required in production, and must differ from JWT_SECRET', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: JWT })).toThrow(/TRACKING_TOKEN_SECRET is required in production/);
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: JWT, TRACKING_TOKEN_SECRET: 'short' })).toThrow(/at least 32 characters/);
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: JWT, TRACKING_TOKEN_SECRET: JWT })).toThrow(/must differ from JWT_SECRET/);
    expect(toAppConfig(validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: JWT, TRACKING_TOKEN_SECRET: 't'.repeat(32) })).trackingTokenSecret).toBe('t'.repeat(32));
  });

  it('outside production, unset, is derived from JWT_SECRET (and is not JWT_SECRET itself)', () => {
    const a = toAppConfig(validateEnvironment({ JWT_SECRET: JWT })).trackingTokenSecret;
    expect(a).toHaveLength(43);
    expect(a).not.toBe(JWT);
    expect(toAppConfig(validateEnvironment({ JWT_SECRET: JWT })).trackingTokenSecret).toBe(a);
  });
});

describe('DISPATCHER_QUEUES', () => {
  it('works every queue by default, takes a subset, and names a queue that does not exist', () => {
    expect(toAppConfig(validateEnvironment({ JWT_SECRET: SECRET })).dispatcherQueues).toEqual(['routing', 'clocks', 'bulletins', 'maintenance', 'notifications']);
    expect(toAppConfig(validateEnvironment({ JWT_SECRET: SECRET, DISPATCHER_QUEUES: 'notifications' })).dispatcherQueues).toEqual(['notifications']);
    expect(() => validateEnvironment({ JWT_SECRET: SECRET, DISPATCHER_QUEUES: 'routing,pager' })).toThrow(/DISPATCHER_QUEUES must be a comma-separated list of routing, clocks/);
  });
});
