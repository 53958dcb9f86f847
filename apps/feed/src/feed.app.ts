import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@wangge/config';
import { createHttpApp } from '@wangge/operations';
import { FeedModule } from './feed.module';

export function createFeedApp(config: AppConfig): Promise<INestApplication> {
  return createHttpApp(FeedModule.forRoot(config));
}
