import type { INestApplication } from '@nestjs/common';
import type { Clock } from '@wangge/clock';
import type { AppConfig } from '@wangge/config';
import { createHttpApp, withDistrictOfDatabase } from '@wangge/startup';
import { IntakeModule } from './intake.module';
import { OPEN311_ERROR_FORMAT } from './open311/open311-error-format';

/**
 * Builds the intake app (used by main.ts and by the tests, which listen on a port of their own;
 * `clock`: a test's ManualClock for the case reads and transitions).
 */
export async function createIntakeApp(given: AppConfig, options: { clock?: Clock } = {}): Promise<INestApplication> {
  const config = await withDistrictOfDatabase(given);
  return createHttpApp(IntakeModule.forRoot(config, options), {
    openApi: {
      title: 'Wangge 网格 API',
      description: 'City management events: grid + network, road chiefs, the closed loop. 城市管理事件平台接口。',
      version: '1',
    },
    bodyLimit: `${config.importMaxBytes}b`,
    // Open311 answers errors in GeoReport's format (JSON or XML); statuses are the one filter's.
    errorFormats: [OPEN311_ERROR_FORMAT],
  });
}
