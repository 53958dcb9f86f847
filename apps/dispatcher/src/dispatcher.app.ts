import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@wangge/config';
import { createHttpApp } from '@wangge/startup';
import { DispatcherModule, type DispatcherOptions } from './dispatcher.module';

export function createDispatcherApp(config: AppConfig, options: DispatcherOptions = {}): Promise<INestApplication> {
  return createHttpApp(DispatcherModule.forRoot(config, options));
}
