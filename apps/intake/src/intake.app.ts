import type { INestApplication } from '@nestjs/common';
import type { Clock } from '@wangge/clock';
import type { AppConfig } from '@wangge/config';
import { createHttpApp, withDistrictOfDatabase } from '@wangge/startup';
import { intakeSecurityHeaders } from './console/console-csp';
import { IntakeModule } from './intake.module';
import { IMPORT_PROBLEMS_FORMAT } from './import/import-problems.format';
import { PLACES_IMPORT_MAX_BYTES } from './places/place-import.dto';
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
    // Admins' imports may be large; photos are multipart, read and limited by their route.
    bodyLimits: (c) => [
      { path: '/api/v1/admin/import', bytes: c.importMaxBytes, roles: ['admin'] },
      { path: '/api/v1/media', bytes: null },
      // A places file (multipart or JSON): the file's limit and the form around it.
      { path: '/api/v1/places/import', bytes: PLACES_IMPORT_MAX_BYTES + 64 * 1024, roles: ['operator', 'leader', 'admin'] },
    ],
    securityHeaders: intakeSecurityHeaders,
    operations: { opsPort: true },
    // Open311 answers errors in GeoReport's format (JSON or XML); a refused import adds its problems
    // grouped (or as CSV). Statuses are the one filter's.
    errorFormats: [OPEN311_ERROR_FORMAT, IMPORT_PROBLEMS_FORMAT],
  });
}
