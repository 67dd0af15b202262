/// <reference lib="webworker" />
/**
 * Serat's service worker: the app and the last map data a person saw keep working with no
 * connection at all (a technician on a river bank). vite-plugin-pwa (injectManifest) builds it
 * into /sw.js and writes the build's file list into `self.__WB_MANIFEST`; Workbox does the
 * precaching, routing and cache bounds, and Serat's own rules decide what is kept and how an
 * offline answer is marked.
 *
 * - App shell (index.html, JS, CSS, icons, Leaflet's images): precached per build, answered from
 *   the cache; page loads try the network first (a few seconds) and fall back to the shell.
 * - GET /api for areas, map tiles and figures, segments, nodes, sites, phases, meta and auth/me: network first; every
 *   good answer is stored, and the stored copy answers when the network fails, marked with a header.
 * - Photo thumbnails, and base-map tiles when a tile server is configured: from the cache when
 *   there, stored when fetched, the oldest dropped past a bound.
 * - Nothing else is touched: POSTs (status changes, photo uploads, sign-in) always go to the
 *   network, and the page's outbox deals with failures.
 */
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim } from 'workbox-core';
import { CacheExpiration, ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<string | { url: string; revision: string | null }> };

/**
 * Data outlives app versions: after an update the last viewed area is still there offline.
 * offline.ts deletes these two (same names) when someone signs out.
 */
const DATA_CACHE = 'serat-api-v1';
const PHOTO_CACHE = 'serat-photos-v1';
/** Base-map tiles hold no one's data: they stay across sign-outs. */
const TILE_CACHE = 'serat-tiles-v1';
/** The same name as in api.ts, which tells the page its data came from this cache. */
const OFFLINE_COPY_HEADER = 'X-Serat-Offline-Copy';
const STORED_AT_HEADER = 'X-Serat-Stored-At';
/** How long a page load waits for the network before the cached app is shown. */
const NAVIGATION_TIMEOUT_MS = 4000;
const DATA_CACHE_LIMIT = 400;
const PHOTO_CACHE_LIMIT = 300;
/** About 40 MB of 256-px tiles: the areas of a few days' work at street zoom. */
const TILE_CACHE_LIMIT = 3000;
const TILE_MAX_AGE_S = 30 * 24 * 3600;

/** The API reads kept for offline use: the map's data and who is signed in. */
const DATA_PATHS = [/^\/api\/(areas|segments|nodes|sites|phases|meta|map)(\/|$)/, /^\/api\/auth\/me$/];
const THUMBNAIL_PATH = /^\/api\/photos\/[0-9a-f-]+\/thumbnail$/;
/** A slippy-map tile, wherever its server is: …/{z}/{x}/{y}.png (or @2x, jpg, webp). */
const TILE_PATH = /\/\d{1,2}\/\d+\/\d+(@2x)?\.(png|jpe?g|webp)$/;

void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

const sameOrigin = (url: URL) => url.origin === self.location.origin;

// Page loads: the network first, the cached app when it fails or takes too long.
registerRoute(
  ({ request, url }) => request.mode === 'navigate' && sameOrigin(url) && !url.pathname.startsWith('/api/'),
  async ({ request }) => {
    const cached = () => matchPrecache('/index.html');
    try {
      const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
      // A server error page is no use to someone in the field; the app itself is.
      if (response.ok) return response;
      return (await cached()) ?? response;
    } catch {
      return (await cached()) ?? Response.error();
    }
  },
);

registerRoute(
  ({ request, url }) => request.method === 'GET' && sameOrigin(url) && DATA_PATHS.some((pattern) => pattern.test(url.pathname)),
  ({ request, event }) => networkFirst(request, event as ExtendableEvent),
);

registerRoute(
  ({ url }) => sameOrigin(url) && THUMBNAIL_PATH.test(url.pathname),
  new CacheFirst({
    cacheName: PHOTO_CACHE,
    matchOptions: { ignoreVary: true },
    plugins: [new ExpirationPlugin({ maxEntries: PHOTO_CACHE_LIMIT })],
  }),
);

registerRoute(
  ({ request, url }) => request.destination === 'image' && TILE_PATH.test(url.pathname),
  new CacheFirst({
    cacheName: TILE_CACHE,
    plugins: [
      // A tile server without CORS answers opaquely (status 0): kept too, it still draws.
      new CacheableResponsePlugin({ statuses: [0, 200] }),
      new ExpirationPlugin({ maxEntries: TILE_CACHE_LIMIT, maxAgeSeconds: TILE_MAX_AGE_S, purgeOnQuotaError: true }),
    ],
  }),
);

/** No server behind the proxy: as good as no network for someone who needs the map now. */
const UNREACHABLE = new Set([502, 503, 504]);
const dataExpiration = new CacheExpiration(DATA_CACHE, { maxEntries: DATA_CACHE_LIMIT });

async function networkFirst(request: Request, event: ExtendableEvent): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(request);
  } catch (error) {
    const copy = await offlineCopy(request);
    if (!copy) throw error;
    return copy;
  }
  // Only good answers are kept: an error, or a 401 after signing out, must never be replayed.
  if (response.ok) event.waitUntil(store(request, response.clone()));
  else if (UNREACHABLE.has(response.status)) return (await offlineCopy(request)) ?? response;
  return response;
}

async function offlineCopy(request: Request): Promise<Response | null> {
  // Answers differ by language only in their error messages, which are never stored: ignore Vary.
  const cached = await caches.match(request, { cacheName: DATA_CACHE, ignoreVary: true });
  if (!cached) return null;
  const headers = new Headers(cached.headers);
  headers.set(OFFLINE_COPY_HEADER, cached.headers.get(STORED_AT_HEADER) ?? new Date(0).toISOString());
  return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
}

/** Stores a good answer with the time it was stored (the page says how old an offline copy is). */
async function store(request: Request, response: Response): Promise<void> {
  const headers = new Headers(response.headers);
  headers.set(STORED_AT_HEADER, new Date().toISOString());
  const body = await response.blob();
  const cache = await caches.open(DATA_CACHE);
  // One entry per address, whatever the language it was asked in (answers vary by it).
  await cache.delete(request, { ignoreVary: true });
  await cache.put(request, new Response(body, { status: response.status, statusText: response.statusText, headers }));
  // The least recently stored go first once the cache holds more than its bound.
  await dataExpiration.updateTimestamp(request.url);
  await dataExpiration.expireEntries();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
