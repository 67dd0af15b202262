// Time from `npm start`'s server process to a served map, on a fresh embedded database (cold:
// open PGlite + PostGIS, migrate, seed Kotim) and again on the same data (warm).
// Needs a built tree (npm run build). Usage: node bench/cold-start.mjs
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js');

function startOnce(dataDir, port) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, 'start'], {
      env: { ...process.env, SERAT_DATA_DIR: dataDir, PORT: String(port), SERAT_EMBEDDED_DB_PORT: '0', LOG_LEVEL: 'warn', SERAT_QUEUE_PREFIX: 'bench' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let result = null;
    child.stdout.on('data', async (chunk) => {
      out += chunk;
      if (result === null && /Serat is running/.test(out)) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        result = { ms, kecamatan: -1 };
        const body = await (await fetch(`http://127.0.0.1:${port}/api/areas?level=kecamatan`)).json();
        result.kecamatan = body.numberReturned;
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code, signal) =>
      result ? resolve(result) : reject(new Error(`exited (${code ?? signal}) before running:\n${out}`)),
    );
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-bench-'));
const port = 3900 + Math.floor(Math.random() * 50);
try {
  const cold = await startOnce(dataDir, port);
  const warm = await startOnce(dataDir, port);
  console.log(`embedded cold start (fresh data dir, migrate + seed): ${(cold.ms / 1000).toFixed(1)} s, ${cold.kecamatan} kecamatan served`);
  console.log(`embedded warm start (same data dir):                  ${(warm.ms / 1000).toFixed(1)} s, ${warm.kecamatan} kecamatan served`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
