import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// Paths are resolved from this file, so the build works from any working directory
// (`npx vite build --config apps/web/vite.config.ts` from the repository root).
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const publicDir = path.join(webRoot, 'public');

/** Every file under a folder, as URL paths from its root (`/icons/serat-192.png`). */
function filesUnder(root: string, prefix = ''): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(root, entry.name), `${prefix}/${entry.name}`) : [`${prefix}/${entry.name}`]));
}

/**
 * Builds src/app/sw.ts into /sw.js (a fixed name: a service worker's URL must not change) and writes
 * at its top what it precaches: the files of this build and of public/, and a cache version that
 * changes with every build, so phones drop the old app shell once the new one is in place.
 */
function serviceWorker(): Plugin {
  let swReference = '';
  return {
    name: 'serat-service-worker',
    apply: 'build',
    // After Vite's own plugins, so index.html is part of the bundle when the list is made.
    enforce: 'post',
    buildStart() {
      swReference = this.emitFile({ type: 'chunk', id: path.join(webRoot, 'src', 'app', 'sw.ts'), fileName: 'sw.js' });
    },
    generateBundle(_options, bundle) {
      const swFile = this.getFileName(swReference);
      const built = Object.keys(bundle).filter((name) => name !== swFile && name !== 'index.html' && !name.endsWith('.map'));
      const shell = [...built.map((name) => `/${name}`), ...filesUnder(publicDir)].sort();
      const html = bundle['index.html'];
      const fingerprint = createHash('sha256')
        .update(shell.join('\n'))
        .update(html && html.type === 'asset' ? String(html.source) : '')
        .digest('hex')
        .slice(0, 10);
      const version = `${fingerprint}-${Date.now().toString(36)}`;
      const chunk = bundle[swFile];
      if (!chunk || chunk.type !== 'chunk') throw new Error('serat-service-worker: sw.js was not built');
      if (/^\s*(import|export)\b/m.test(chunk.code)) throw new Error('serat-service-worker: sw.js must not import or export anything');
      chunk.code = `self.__SERAT_SW_BUILD__ = ${JSON.stringify({ version, shell })};\n${chunk.code}`;
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  // The web app manifest and its icons, copied as they are.
  publicDir,
  plugins: [serviceWorker()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Leaflet's marker PNGs are small; keep them as files so the bundle stays inspectable.
    assetsInlineLimit: 0,
  },
});
