import { DynamicModule, Module } from '@nestjs/common';
import { AuthService, jwtModule, PeopleModule } from '@wangge/auth';
import type { AppConfig } from '@wangge/config';
import { DivisionDirectory } from '@wangge/geo';
import { processModules } from '@wangge/startup';
import { CaseCountsQuery, CaseEventReader } from '@wangge/workflow';
import { FeedGateway } from './feed.gateway';
import { FeedMetrics } from './feed.metrics';
import { FeedHub } from './hub/feed-hub.service';
import { FeedLimits } from './hub/feed-limits';
import { FeedSource } from './source/feed-source.service';
import { FeedStatsService } from './stats/feed-stats.service';

/** The feed process: socket.io streams of case events (namespace /feed). HTTP for health and metrics. */
@Module({})
export class FeedModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: FeedModule,
      imports: [...processModules(config, 'feed'), jwtModule(), PeopleModule],
      providers: [AuthService, CaseEventReader, CaseCountsQuery, DivisionDirectory, FeedSource, FeedHub, FeedStatsService, FeedGateway, FeedMetrics, FeedLimits],
    };
  }
}
