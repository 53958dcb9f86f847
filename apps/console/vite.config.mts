import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// The web console: built into dist/console (served by intake at `/`); `npm run dev:console` serves it
// with hot reload and proxies the API to an intake on INTAKE_URL (default http://127.0.0.1:3000).
const intake = process.env.INTAKE_URL ?? 'http://127.0.0.1:3000';
const publicDir = fileURLToPath(new URL('./public', import.meta.url));

/**
 * Emits /sw.js (pwa/service-worker.js) with the list of the build's files to keep for offline
 * use (the bundle, index.html and public/: manifest and icons) and a version that changes with them.
 */
function serviceWorker(): Plugin {
  return {
    name: 'wangge-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle).filter((f) => !f.endsWith('.map'));
      const pub = readdirSync(publicDir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => `${d.parentPath.slice(publicDir.length)}/${d.name}`.replace(/\\/g, '/').replace(/^\/?/, ''));
      const precache = [...new Set(['index.html', ...built, ...pub])].map((f) => `/${f}`).sort();
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(fileURLToPath(new URL('./pwa/service-worker.js', import.meta.url)), 'utf8')
        .replace("const VERSION = '__VERSION__';", `const VERSION = ${JSON.stringify(version)};`)
        .replace('const PRECACHE = __PRECACHE__;', `const PRECACHE = ${JSON.stringify(precache)};`);
      if (!source.includes('const PRECACHE = [') || source.includes("'__VERSION__'")) this.error('pwa/service-worker.js: its PRECACHE or VERSION line was not found');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [serviceWorker()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': intake,
      '/config.json': intake,
    },
  },
});
