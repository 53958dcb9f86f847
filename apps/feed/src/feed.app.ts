import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@wangge/config';
import { createHttpApp } from '@wangge/startup';
import { FeedIoAdapter } from './feed-io.adapter';
import { FeedModule } from './feed.module';

export async function createFeedApp(config: AppConfig): Promise<INestApplication> {
  const app = await createHttpApp(FeedModule.forRoot(config));
  app.useWebSocketAdapter(new FeedIoAdapter(app, config));
  return app;
}
