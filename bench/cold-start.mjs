// Time from `npm start` to "Serat is running" (the map served), measured as a user meets it:
//   cold: nothing built and a fresh data directory (build the server and the web app, open PGlite
//         + PostGIS, migrate, seed Kotim, start Redis when none answers, the api and a worker);
//   warm: the same again with nothing changed (no build, the same data).
// Target: the warm start under 10 s. Uses the machine's Redis when one answers on 6379, as
// `npm start` does. Usage: node bench/cold-start.mjs   (removes the build stamps in dist/, so the
// cold run builds)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printResult, round } from './support/result.mjs';
import { dropQueueKeys } from './support/redis.mjs';

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
      env: { ...process.env, SERAT_DATA_DIR: dataDir, PORT: String(port), SERAT_QUEUE_PREFIX: queuePrefix },
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
        const built = [...out.matchAll(/built the (\w+) in ([\d.]+) s/g)].map((m) => ({ what: m[1], s: Number(m[2]) }));
        result = { ms, built, buildS: built.reduce((sum, b) => sum + b.s, 0), health: health.status };
        process.kill(-child.pid, 'SIGINT');
      }
    });
    child.once('exit', (code, signal) => (result ? resolve(result) : reject(new Error(`exited (${code ?? signal}) before running:\n${out}`))));
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-bench-'));
// The run's own queues in the machine's Redis (npm start uses the one on 6379 when it answers),
// removed at the end; a Redis that npm start started itself goes with it.
const queuePrefix = `bench-start-${process.pid}`;
try {
  for (const stamp of ['.built-server', '.built-web']) fs.rmSync(path.join(root, 'dist', stamp), { force: true });
  const cold = await startOnce(dataDir, await freePort());
  const warm = await startOnce(dataDir, await freePort());
  const builds = (r) => r.built.map((b) => `${b.what} ${b.s} s`).join(' + ') || 'nothing';
  console.log(`npm start, cold (build ${builds(cold)}; fresh data dir: migrate + seed): ${(cold.ms / 1000).toFixed(1)} s, health ${cold.health}`);
  console.log(`npm start, warm (build ${builds(warm)}; same data dir):                 ${(warm.ms / 1000).toFixed(1)} s, health ${warm.health}`);
  printResult({
    benchmark: 'cold-start',
    title: '`npm start` until "Serat is running"',
    size: 'one cold and one warm start',
    command: 'node bench/cold-start.mjs',
    description:
      'Time from `npm start` to its "Serat is running" line, as a user meets it. Cold: nothing built and a fresh data directory (build the server and the ' +
      'web app, open PGlite with PostGIS, migrate, seed Kotim, Redis, the api and a worker). Warm: the same again with nothing changed (no build, the same data).',
    figures: [
      { what: `cold, of which the build (${builds(cold)}) ${round(cold.buildS)} s`, value: round(cold.ms / 1000), unit: 's' },
      { what: `warm (build: ${builds(warm)})`, value: round(warm.ms / 1000), unit: 's', target: '< 10 s', met: warm.ms < 10000 },
    ],
  });
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
  await dropQueueKeys(process.env.REDIS_URL || 'redis://127.0.0.1:6379', queuePrefix);
}
