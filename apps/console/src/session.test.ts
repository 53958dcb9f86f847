import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, errorText, feedUrlOf } from './api';
import { homeOf, loadSession, saveSession, tokenExpired } from './session';

const jwt = (payload: object) => `x.${btoa(JSON.stringify(payload)).replace(/=+$/, '')}.y`;

describe('session and API helpers', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the session in localStorage so it survives a reload, and drops an expired one', () => {
    const token = jwt({ exp: Math.floor(Date.now() / 1000) + 3600 });
    saveSession({ accessToken: token, user: { id: '1', name: '王', role: 'chief' } });
    expect(loadSession()).toMatchObject({ accessToken: token, user: { role: 'chief' } });
    saveSession({ accessToken: jwt({ exp: 1 }), user: { id: '1', name: '王', role: 'chief' } });
    expect(loadSession()).toBeNull();
    expect(localStorage.getItem('wangge.session')).toBeNull();
    localStorage.setItem('wangge.session', '{not json');
    expect(loadSession()).toBeNull();
  });

  it('reads a token’s expiry', () => {
    expect(tokenExpired(jwt({ exp: 100 }), 100_001)).toBe(true);
    expect(tokenExpired(jwt({ exp: 200 }), 100_000)).toBe(false);
    expect(tokenExpired('garbage', 0)).toBe(false);
  });

  it('sends each role to its page', () => {
    expect(homeOf('operator')).toBe('/command');
    expect(homeOf('leader')).toBe('/approvals');
    expect(homeOf('admin')).toBe('/admin');
    expect(homeOf('chief')).toBe('/chief');
    expect(homeOf('department')).toBe('/chief');
    expect(homeOf('warden')).toBe('/warden');
  });

  it('shows API errors in words, with the fields they name', () => {
    expect(errorText(new ApiError(400, 'bad_request', 'bad report / 上报内容有误', [{ field: 'location', problem: 'no grid cell covers this point' }]))).toBe(
      'bad report / 上报内容有误 (location: no grid cell covers this point)',
    );
    expect(errorText(new ApiError(409, 'conflict', 'case is closed / 案卷已结案'))).toBe('case is closed / 案卷已结案');
    expect(errorText(new ApiError(403, 'out_of_jurisdiction', 'cell 1 lies outside your street', [{ field: 'cells', problem: 'cell 1 lies outside your street' }]))).toBe(
      'cell 1 lies outside your street',
    );
  });

  it('finds the feed: configured, else the page’s host on the feed port', () => {
    const config = { feedUrl: null, feedPort: 3001, mapTileUrl: null, mapTileAttribution: null };
    expect(feedUrlOf(config, { protocol: 'http:', hostname: '10.0.0.5' })).toBe('http://10.0.0.5:3001');
    expect(feedUrlOf({ ...config, feedUrl: 'https://feed.example.org/' }, { protocol: 'http:', hostname: 'x' })).toBe('https://feed.example.org');
  });
});
