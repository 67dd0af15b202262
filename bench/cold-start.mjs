// Time from `npm start` to "Serat is running" (the map served), measured as a user meets it:
//   cold: nothing built and a fresh data directory (build the server and the web app, open PGlite
//         + PostGIS, migrate, seed Kotim, start Redis when none answers, the api and a worker);
//   warm: the same again with nothing changed (no build, the same data).
// Usage: node bench/cold-start.mjs   (removes the build stamps in dist/, so the cold run builds)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

function startOnce(dataDir, port) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // detached: its own process group, so that npm and everything it started stop together.
    const child = spawn('npm', ['start'], {
      cwd: root,
      env: { ...process.env, SERAT_DATA_DIR: dataDir, PORT: String(port), SERAT_QUEUE_PREFIX: 'bench' },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    let out = '';
    let result = null;
    child.stdout.on('data', async (chunk) => {
      out += chunk;
      if (result === null && /Serat is running/.test(out)) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
        result = { ms, built: [...out.matchAll(/built the (\w+) in ([\d.]+) s/g)].map((m) => `${m[1]} ${m[2]} s`), health: health.status };
        process.kill(-child.pid, 'SIGINT');
      }
    });
    child.once('exit', (code, signal) => (result ? resolve(result) : reject(new Error(`exited (${code ?? signal}) before running:\n${out}`))));
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-bench-'));
try {
  for (const stamp of ['.built-server', '.built-web']) fs.rmSync(path.join(root, 'dist', stamp), { force: true });
  const cold = await startOnce(dataDir, await freePort());
  const warm = await startOnce(dataDir, await freePort());
  console.log(`npm start, cold (build ${cold.built.join(' + ') || 'nothing'}; fresh data dir: migrate + seed): ${(cold.ms / 1000).toFixed(1)} s, health ${cold.health}`);
  console.log(`npm start, warm (build ${warm.built.join(' + ') || 'nothing'}; same data dir):                 ${(warm.ms / 1000).toFixed(1)} s, health ${warm.health}`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
