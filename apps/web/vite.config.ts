import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Paths are resolved from this file, so the build works from any working directory
// (`npx vite build --config apps/web/vite.config.ts` from the repository root).
const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Leaflet's marker PNGs are small; keep them as files so the bundle stays inspectable.
    assetsInlineLimit: 0,
  },
});
