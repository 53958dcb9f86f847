import { Client } from 'pg';
import { districtOfDatabase, type AppConfig } from '@wangge/config';

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
    const { rows } = await client
      .query<{ code: string }>(`SELECT code FROM district ORDER BY code LIMIT 2`)
      .catch(() => ({ rows: [] as { code: string }[] }));
    return districtOfDatabase(config, rows.length === 1 ? rows[0].code : null);
  } finally {
    await client.end().catch(() => undefined);
  }
}
