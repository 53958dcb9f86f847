/* global self, caches, fetch, __PRECACHE__ */
// The console's service worker (served at /sw.js, scope /). vite.config.mts fills in PRECACHE with
// the build's files and VERSION with their hash. It keeps the application so the field pages open
// without signal; it never keeps the API's answers about cases (the page keeps its own copy of the
// task list, per user) and never touches a POST: the page's outbox sends those itself.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const SHELL = `wangge-shell-${VERSION}`;
const RUNTIME = 'wangge-runtime';
/** Public, user-independent reads the offline pages need: kept, served from the copy when offline. */
const RUNTIME_PATHS = ['/config.json', '/api/v1/categories'];
/** Served by intake itself, never by the page's fallback. */
const NOT_PAGES = /^\/(api|open311|docs|docs-json|health|metrics|media)(\/|$)/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('wangge-shell-') && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

/** The network's answer, kept in `cacheName`; the kept one when the network does not answer. */
async function networkFirst(request, cacheName, fallbackUrl) {
  try {
    const response = await fetch(request);
    if (response.ok) await (await caches.open(cacheName)).put(fallbackUrl ?? request, response.clone());
    return response;
  } catch (err) {
    const kept = await caches.match(fallbackUrl ?? request);
    if (kept) return kept;
    throw err;
  }
}

async function cacheFirst(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await (await caches.open(SHELL)).put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && !NOT_PAGES.test(url.pathname)) {
    // Every page of the console is index.html (client-side routes).
    event.respondWith(networkFirst(request, SHELL, '/index.html'));
  } else if (url.pathname.startsWith('/assets/') || PRECACHE.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (RUNTIME_PATHS.includes(url.pathname)) {
    event.respondWith(networkFirst(request, RUNTIME));
  }
});
