import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The floors of docs/architecture.md are enforced by dependency-cruiser with the project's own
 * config (.dependency-cruiser.cjs), the way `npm run lint` runs it. Each case builds a tiny
 * project of fixture files with the same layout and `@wangge/<lib>` aliases, and runs the tool on it.
 */
const ROOT = resolve(__dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const LIBS = ['domain', 'config', 'operations', 'clock', 'events', 'database', 'auth', 'geo', 'workflow', 'evaluation', 'bulletins', 'startup'];

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A fixture project: every lib an index that exports a constant, plus the files given. */
function project(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'wangge-floors-'));
  const paths = Object.fromEntries(LIBS.map((lib) => [`@wangge/${lib}`, [`libs/${lib}/src`]]));
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node10', baseUrl: './', paths } }),
    ...Object.fromEntries(LIBS.map((lib) => [`libs/${lib}/src/index.ts`, `export const ${lib} = '${lib}';\n`])),
    'apps/intake/src/main.ts': `import { startup } from '@wangge/startup';\nimport { bulletins } from '@wangge/bulletins';\nexport const main = [startup, bulletins];\n`,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs dependency-cruiser as `npm run lint` does; resolves with its exit code and output. */
function cruise(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = execFile(DEPCRUISE, ['libs', 'apps', '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8', timeout: 60_000 }, (_e, stdout, stderr) =>
      done({ code: child.exitCode ?? -1, output: stdout + stderr }),
    );
  });
}

describe('the floors, enforced by dependency-cruiser', { timeout: 60_000 }, () => {
  it('passes a project whose libs import only lower floors and whose app imports startup', async () => {
    const root = project({
      'libs/workflow/src/case.ts': `import { domain } from '@wangge/domain';\nimport { geo } from '@wangge/geo';\nimport type { clock } from '@wangge/clock';\nexport const c: [string, string, typeof clock | null] = [domain, geo, null];\n`,
    });
    const { code, output } = await cruise(root);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it.each([
    ['a leaf importing above its floor', 'libs/domain/src/case.ts', `import { workflow } from '@wangge/workflow';\nexport const x = workflow;\n`, 'floor-domain'],
    ['a lib importing one on its own floor', 'libs/clock/src/x.ts', `import { events } from '@wangge/events';\nexport const x = events;\n`, 'floor-clock'],
    ['a type-only import above the floor', 'libs/operations/src/x.ts', `import type { database } from '@wangge/database';\nexport const x: typeof database | null = null;\n`, 'floor-operations'],
    ['a lib importing startup', 'libs/workflow/src/x.ts', `import { startup } from '@wangge/startup';\nexport const x = startup;\n`, 'floor-workflow'],
    ['a lib importing an app', 'libs/geo/src/x.ts', `import { main } from '../../../apps/intake/src/main';\nexport const x = main;\n`, 'no-lib-imports-an-app'],
    ['an import into a lib past its index', 'libs/workflow/src/x.ts', `import { auth } from '../../auth/src/index';\nimport { secret } from '../../auth/src/secret';\nexport const x = [auth, secret];\n`, 'lib-through-its-index'],
    ['a lib with no floor that imports', 'libs/newcomer/src/index.ts', `import { domain } from '../../domain/src/index';\nexport const newcomer = domain;\n`, 'unfloored-lib-imports'],
    ['an import of a lib with no floor', 'apps/intake/src/x.ts', `import { newcomer } from '../../../libs/newcomer/src/index';\nexport const x = newcomer;\n`, 'unfloored-lib-imported'],
  ])('fails the build on %s', async (_, path, text, rule) => {
    const root = project({ 'libs/auth/src/secret.ts': `export const secret = 1;\n`, 'libs/newcomer/src/index.ts': `export const newcomer = 1;\n`, [path]: text });
    const { code, output } = await cruise(root);
    expect(output).toContain(`error ${rule}:`);
    expect(code).not.toBe(0);
  });

  it('fails the build on an import cycle inside a lib', async () => {
    const root = project({
      'libs/geo/src/a.ts': `import { b } from './b';\nexport const a = () => b;\n`,
      'libs/geo/src/b.ts': `import { a } from './a';\nexport const b = () => a;\n`,
    });
    const { code, output } = await cruise(root);
    expect(output).toContain('error no-circular:');
    expect(code).not.toBe(0);
  });
});
