import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@wangge/config';
import { createHttpApp, withDistrictOfDatabase } from '@wangge/startup';
import { DispatcherModule, type DispatcherOptions } from './dispatcher.module';

export async function createDispatcherApp(given: AppConfig, options: DispatcherOptions = {}): Promise<INestApplication> {
  const config = await withDistrictOfDatabase(given);
  return createHttpApp(DispatcherModule.forRoot(config, options));
}
