import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@wangge/config';
import { createHttpApp } from '@wangge/operations';
import { DispatcherModule } from './dispatcher.module';

export function createDispatcherApp(config: AppConfig): Promise<INestApplication> {
  return createHttpApp(DispatcherModule.forRoot(config));
}
