import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import tsconfig from './tsconfig.json';

const alias = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, resolve(target)]),
);

const plugins = [swc.vite({ module: { type: 'es6' } })];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        plugins,
        resolve: { alias },
        // Test files are named by tier: *.spec.ts unit (no services), *.int-spec.ts on the database and
        // Redis, *.e2e-spec.ts over HTTP or sockets against running apps, *.browser-spec.ts in Chromium.
        test: { name: 'unit', sequence: { groupOrder: 0 }, include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/**/*.spec.ts'], environment: 'node' },
      },
      {
        // The web console's client logic and components (apps/console), in a DOM of happy-dom.
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        test: { name: 'console', sequence: { groupOrder: 0 }, include: ['apps/console/src/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
      },
      {
        plugins,
        resolve: { alias },
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/**/*.int-spec.ts', 'test/**/*.e2e-spec.ts', 'test/**/*.browser-spec.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
