import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// Paths are resolved from this file, so the build works from any working directory
// (`npx vite build --config apps/web/vite.config.ts` from the repository root).
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const publicDir = path.join(webRoot, 'public');

export default defineConfig({
  root: webRoot,
  base: '/',
  // The web app manifest and its icons, copied as they are.
  publicDir,
  plugins: [
    // src/app/sw.ts built into /sw.js (a fixed name: a service worker's URL must not change), with
    // the list of this build's files and of public/ to precache; the app registers it itself
    // (app/offline.ts) and keeps its own manifest in public/.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/app',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest,ico}'],
        globIgnores: ['**/*.map', 'sw.js'],
        // Leaflet and the app are one chunk of about 330 kB; room to grow without silently dropping it.
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
      },
    }),
  ],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Leaflet's marker PNGs are small; keep them as files so the bundle stays inspectable.
    assetsInlineLimit: 0,
  },
});
