import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@wangge/config';
import { createHttpApp, withDistrictOfDatabase } from '@wangge/startup';
import { FeedIoAdapter } from './feed-io.adapter';
import { FeedModule } from './feed.module';

export async function createFeedApp(given: AppConfig): Promise<INestApplication> {
  const config = await withDistrictOfDatabase(given);
  const app = await createHttpApp(FeedModule.forRoot(config), { operations: { opsPort: false } });
  app.useWebSocketAdapter(new FeedIoAdapter(app, config));
  return app;
}
