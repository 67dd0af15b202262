/**
 * The page's side of the service worker (sw.ts): registering it, knowing when it controls the
 * page (from then on every map read is kept for offline use), and forgetting the kept data when
 * someone signs out.
 */

const DATA_CACHES = ['serat-api-v1', 'serat-photos-v1'];

/**
 * Registers /sw.js (production builds only: the development server has no sw.js). Calls
 * `onControlled` once the worker controls this page, with `late` true when the page was loaded
 * without one (the first visit): what it loaded then went past the worker and is not kept yet.
 */
export function registerServiceWorker(onControlled: (late: boolean) => void): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  const container = navigator.serviceWorker;
  const late = !container.controller;
  if (!late) onControlled(false);
  else {
    container.addEventListener('controllerchange', () => onControlled(true), { once: true });
  }
  const register = () => {
    container.register('/sw.js', { scope: '/' }).catch(() => {
      // No offline support (private mode, a browser policy): the app works online as before.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

/** Whether a service worker controls this page (its reads are kept for offline use). */
export function offlineCapable(): boolean {
  return 'serviceWorker' in navigator && !!navigator.serviceWorker.controller;
}

/** Drops the kept map data and photos: the next person on this device must not see them. */
export async function forgetOfflineData(): Promise<void> {
  if (!('caches' in window)) return;
  try {
    await Promise.all(DATA_CACHES.map((name) => caches.delete(name)));
  } catch {
    // Nothing kept, or storage refused: nothing to forget.
  }
}
