import { describe, expect, it } from 'vitest';
import { districtOfDatabase, loadAppConfig } from './app-config';
import { ConfigurationError } from './env.schema';

const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32) };

describe('the district a deployment serves is its database’s', () => {
  it('adopts the database’s district when DISTRICT_CODE was not set', () => {
    const config = loadAppConfig(base);
    expect(config.districtCodeGiven).toBe(false);
    expect(districtOfDatabase(config, '410105').districtCode).toBe('410105');
  });

  it('keeps DISTRICT_CODE before the database has a district, and when they agree', () => {
    const config = loadAppConfig({ ...base, DISTRICT_CODE: '410105' });
    expect(config.districtCodeGiven).toBe(true);
    expect(districtOfDatabase(config, null)).toBe(config);
    expect(districtOfDatabase(config, '410105')).toBe(config);
    expect(districtOfDatabase(loadAppConfig(base), null).districtCode).toBe('410104');
  });

  it('refuses a DISTRICT_CODE that names another district than the database’s, naming both', () => {
    const config = loadAppConfig({ ...base, DISTRICT_CODE: '410104' });
    expect(() => districtOfDatabase(config, '410105')).toThrow(ConfigurationError);
    expect(() => districtOfDatabase(config, '410105')).toThrow(/DISTRICT_CODE is 410104 but the database holds district 410105/);
  });
});
