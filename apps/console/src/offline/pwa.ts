// The console as an installable web app (manifest.webmanifest, icons) whose pages open without
// signal: the service worker (/sw.js, built by vite.config.mts from pwa/service-worker.js) keeps
// the application's files and serves them when the network does not answer.

/** Registers /sw.js for the whole console (scope `/`); only in a build, never under the dev server. */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e: Error) => console.warn('service worker:', e.message));
}
