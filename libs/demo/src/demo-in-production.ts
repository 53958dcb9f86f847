import type { AppConfig } from '@wangge/config';

/**
 * Why the demo district may not be built here, or null: never in production (NODE_ENV=production),
 * where a district is set up with `npm run setup` (domain.md section 7).
 */
export function demoRefusal(env: AppConfig['env']): string | null {
  if (env !== 'production') return null;
  return (
    'the demo district is never built in production (NODE_ENV=production): set up your district with ' +
    'npm run setup -- --district CODE · 生产环境不生成演示区，请用 npm run setup -- --district 区划代码 初始化本区'
  );
}
