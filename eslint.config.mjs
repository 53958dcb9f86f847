// ESLint (flat config): the recommended JavaScript and typescript-eslint rules, and the house
// rules a linter can check (docs/architecture.md, ../shared/style.md). Layer rules between libs
// are dependency-cruiser's (.dependency-cruiser.cjs). Both run in `npm run lint`, part of npm test.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const LIB_BY_ALIAS = { group: ['**/libs/*', '**/libs/*/**', '../../../*'], message: 'import a lib as @wangge/<lib>' };

export default defineConfig(
  globalIgnores(['dist/', 'data/', 'node_modules/', 'coverage/', 'apps/console/dist/', 'test/bench/', 'test/chaos/', 'test/support/ts-register.cjs']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // Only when every destructured name could be const (`let { ready, gap }` with gap reassigned is fine).
      'prefer-const': ['error', { destructuring: 'all' }],
      // Misreads values used only in decorators (`const keyId = new ParseUUIDPipe(…)` then `@Param('id', keyId)`).
      'no-useless-assignment': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-warning-comments': ['error', { terms: ['todo', 'fixme', 'xxx'], location: 'start' }],
      // A test that finds something missing fails; it never skips (style.md, change 5).
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].flatMap((object) => [
          { object, property: 'skip', message: 'no skipped tests' },
          { object, property: 'only', message: 'no focused tests' },
          { object, property: 'todo', message: 'no placeholder tests' },
        ]),
      ],
    },
  },
  {
    // Libraries by their alias (@wangge/<lib>), never by a relative path out of their folder.
    files: ['libs/**/*.ts', 'apps/intake/**/*.ts', 'apps/dispatcher/**/*.ts', 'apps/feed/**/*.ts', 'apps/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [LIB_BY_ALIAS] }],
    },
  },
  {
    // Libs throw their own AppErrors; the HTTP ApiError is for the apps' controllers, guards and pipes,
    // and the one exception filter maps codes to statuses (docs/architecture.md, operations).
    files: ['libs/**/*.ts'],
    ignores: ['libs/operations/**', 'libs/startup/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [LIB_BY_ALIAS],
          paths: [
            { name: '@wangge/operations', importNames: ['ApiError'], message: 'a lib throws its own AppError subclass (see libs/*/src/*-error.ts)' },
            { name: '@nestjs/common', importNames: ['HttpException', 'HttpStatus'], message: 'a lib throws its own AppError subclass, not an HTTP exception' },
          ],
        },
      ],
    },
  },
  {
    // Configuration is read and validated once, in libs/config (style.md, rule 6).
    files: ['libs/**/*.ts', 'apps/**/*.ts', 'apps/**/*.tsx'],
    ignores: ['libs/config/**', '**/*.spec.ts', '**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration through @wangge/config' }],
    },
  },
  {
    // The one file left with `any`: its GeoReport answers (JSON and parsed XML) are read loosely.
    files: ['test/open311/open311.e2e-spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
);
