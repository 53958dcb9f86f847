import { Client } from 'pg';
import { districtOfDatabase, type AppConfig } from '@wangge/config';
import { existingDistrict } from '@wangge/import';

/**
 * The configuration a process starts with: its district is the one its database holds (one short
 * connection before the app is built). A database out of reach or without its schema yet keeps the
 * configured district: the process starts anyway and its health says what is missing.
 */
export async function withDistrictOfDatabase(config: AppConfig): Promise<AppConfig> {
  if (!config.databaseUrl) return config;
  const client = new Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5_000, application_name: 'wangge-district' });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch {
    return config;
  }
  try {
    // The owner's reader (libs/import), over this one connection.
    const sql = { query: async (text: string, params?: unknown[]) => (await client.query(text, params)).rows };
    const district = await existingDistrict(sql as Parameters<typeof existingDistrict>[0]).catch(() => null);
    return districtOfDatabase(config, district?.code ?? null);
  } finally {
    await client.end().catch(() => undefined);
  }
}
