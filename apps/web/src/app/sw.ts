/**
 * Serat's service worker: the app and the last map data a person saw keep working with no
 * connection at all (a technician on a river bank). Built by vite.config.ts into /sw.js, which
 * writes the build's version and its list of shell files at the top; it imports nothing, so it
 * stays one self-contained classic script.
 *
 * - App shell (index.html, JS, CSS, icons, Leaflet's images): precached per build, answered from
 *   the cache; page loads try the network first (a few seconds) and fall back to the shell.
 * - GET /api for areas, segments, nodes, sites, phases, meta and auth/me: network first; every
 *   good answer is stored, and the stored copy answers when the network fails, marked with a header.
 * - Photo thumbnails: from the cache when there, stored when fetched.
 * - Nothing else is touched: POSTs (status changes, photo uploads, sign-in) always go to the
 *   network, and the page's outbox deals with failures.
 */

// The build writes `self.__SERAT_SW_BUILD__ = {…}` at the top of sw.js (see vite.config.ts).
const BUILD: { version: string; shell: string[] } = (self as unknown as { __SERAT_SW_BUILD__?: { version: string; shell: string[] } }).__SERAT_SW_BUILD__ ?? {
  version: 'dev',
  shell: [],
};

const SHELL_CACHE = `serat-shell-${BUILD.version}`;
/**
 * Data outlives app versions: after an update the last viewed area is still there offline.
 * offline.ts deletes these two (same names) when someone signs out.
 */
const DATA_CACHE = 'serat-api-v1';
const PHOTO_CACHE = 'serat-photos-v1';
/** The same name as in api.ts, which tells the page its data came from this cache. */
const OFFLINE_COPY_HEADER = 'X-Serat-Offline-Copy';
const STORED_AT_HEADER = 'X-Serat-Stored-At';
/** How long a page load waits for the network before the cached app is shown. */
const NAVIGATION_TIMEOUT_MS = 4000;
const DATA_CACHE_LIMIT = 400;
const PHOTO_CACHE_LIMIT = 300;

/** The API reads kept for offline use: the map's data and who is signed in. */
const DATA_PATHS = [/^\/api\/(areas|segments|nodes|sites|phases|meta)(\/|$)/, /^\/api\/auth\/me$/];
const THUMBNAIL_PATH = /^\/api\/photos\/[0-9a-f-]+\/thumbnail$/;

// The DOM library describes a window; these are the few service-worker types used here.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface ServiceWorkerScope {
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly location: Location;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}
const worker = self as unknown as ServiceWorkerScope;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // `reload`: straight from the server, never from an HTTP cache that may hold an older build.
      await cache.addAll(['/', ...BUILD.shell].map((url) => new Request(url, { cache: 'reload' })));
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('serat-shell-') && name !== SHELL_CACHE) await caches.delete(name);
      }
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;

  if (url.pathname.startsWith('/api/')) {
    if (DATA_PATHS.some((pattern) => pattern.test(url.pathname))) event.respondWith(networkFirst(request, event));
    else if (THUMBNAIL_PATH.test(url.pathname)) event.respondWith(cacheFirst(request, PHOTO_CACHE, PHOTO_CACHE_LIMIT, event));
    // Everything else of the api (photos, health, its documentation…) goes to the network untouched.
    return;
  }
  if (request.mode === 'navigate') event.respondWith(navigation(request));
  else event.respondWith(shellFile(request));
});

async function navigation(request: Request): Promise<Response> {
  const cached = () => caches.match('/', { cacheName: SHELL_CACHE });
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    if (response.ok || !(await cached())) return response;
    // A server error page is no use to someone in the field; the app itself is.
    return (await cached()) ?? response;
  } catch {
    return (await cached()) ?? Response.error();
  }
}

async function shellFile(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE, ignoreSearch: true });
  return cached ?? fetch(request);
}

/** No server behind the proxy: as good as no network for someone who needs the map now. */
const UNREACHABLE = new Set([502, 503, 504]);

async function networkFirst(request: Request, event: FetchEvent): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(request);
  } catch (error) {
    const copy = await offlineCopy(request);
    if (!copy) throw error;
    return copy;
  }
  // Only good answers are kept: an error, or a 401 after signing out, must never be replayed.
  if (response.ok) event.waitUntil(store(DATA_CACHE, request, response.clone(), DATA_CACHE_LIMIT));
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

async function cacheFirst(request: Request, cacheName: string, limit: number, event: FetchEvent): Promise<Response> {
  const cached = await caches.match(request, { cacheName, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) event.waitUntil(store(cacheName, request, response.clone(), limit));
  return response;
}

async function store(cacheName: string, request: Request, response: Response, limit: number): Promise<void> {
  const headers = new Headers(response.headers);
  headers.set(STORED_AT_HEADER, new Date().toISOString());
  const body = await response.blob();
  const cache = await caches.open(cacheName);
  // Delete first so the entry moves to the end of the key order: the oldest are trimmed first.
  await cache.delete(request, { ignoreVary: true });
  await cache.put(request, new Response(body, { status: response.status, statusText: response.statusText, headers }));
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - limit))) await cache.delete(key);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
