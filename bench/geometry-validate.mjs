// Geometry checks in bounded time and memory (issue 8, section 3). First `checkLineString` alone,
// in this process, on a 40,000-position route, harder routes of the same size (a spiral, a
// serpentine of long parallel strokes: many segments side by side at once) and a 2,000-position
// self-crossing star. Then the same route and star through the api and, as an import file,
// through the worker: both run as child processes so that their peak resident memory (VmHWM) can
// be read from /proc; while the star is checked, a health check every 20 ms shows whether the api
// still answers. Targets: the 40,000-position route checked in under 200 ms, every error body
// under 10 kB. Needs `npm run build`, the test PostgreSQL and Redis; Linux (/proc).
// Usage: node bench/geometry-validate.mjs [--runs=5] [--no-servers] [--no-local]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printResult, round } from './support/result.mjs';
import { dropQueueKeys } from './support/redis.mjs';
import { BENCH_PASSWORD, seededDatabase } from './support/api.mjs';
const require = createRequire(import.meta.url);
// Node's web globals, which the lint configuration does not list.
const { FormData, Blob } = globalThis;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { checkLineString } = require('../dist/libs/geo/src');
const { KOTIM_BBOX, loadTestSettings } = require('../dist/libs/config/src');

// The shapes, 7 decimals (about 1 cm) as a GPS export gives them; the same as in
// libs/geo/src/geometry-fixtures.testing.ts (which the build leaves out of dist/).
const round7 = (x) => Math.round(x * 1e7) / 1e7;
/** A winding route eastward from `lon`, about 0.5 m between positions: never crosses itself. */
const windingRoute = (n, lon = 112.9, lat = -2.55) => Array.from({ length: n }, (_, i) => [round7(lon + i * 0.000005), round7(lat + 0.002 * Math.sin(i / 400))]);
/** A spiral of 20 turns out from the centre: up to 40 segments side by side on a sweep line. */
const spiral = (n, lon = 112.95, lat = -2.53) =>
  Array.from({ length: n }, (_, i) => {
    const angle = (i / n) * 20 * 2 * Math.PI;
    const r = 0.0005 + (0.02 * i) / n;
    return [round7(lon + r * Math.cos(angle)), round7(lat + r * Math.sin(angle))];
  });
/** Long diagonal strokes, up and down, 0.2 m apart: each spans the x-range of all the others, n/2 side by side. */
const serpentine = (n, lon = 112.9, lat = -2.6) =>
  Array.from({ length: n }, (_, i) => {
    const stroke = Math.floor(i / 2);
    const top = i % 2 === (stroke % 2 === 0 ? 1 : 0);
    return [round7(lon + stroke * 0.000002 + (top ? 0.05 : 0)), round7(lat + (top ? 0.05 : 0))];
  });
/** The star of the issue: n positions on a circle, each nearly opposite the last, every chord crossing nearly every other. */
const star = (n, lon = 112.95, lat = -2.53) => {
  const step = n / 2 - 1;
  return Array.from({ length: n }, (_, i) => {
    const angle = (2 * Math.PI * ((i * step) % n)) / n;
    return [round7(lon + 0.01 * Math.cos(angle)), round7(lat + 0.01 * Math.sin(angle))];
  });
};

/** A winding route whose last positions zigzag back across it: the crossings are at the far end of every pass. */
const crossingAtTheEnd = (n) => {
  const route = windingRoute(n - 10);
  const [lon, lat] = route.at(-1);
  for (let k = 1; k <= 10; k++) route.push([round7(lon - k * 0.00005), round7(lat + (k % 2 ? 0.01 : -0.01))]);
  return route;
};

const ms = (since) => Number(process.hrtime.bigint() - since) / 1e6;
const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const figures = [];
/** The result line, then the end: the figures measured so far are all there is. */
function report() {
  const parts = [
    process.argv.includes('--no-local') ? null : `in process, median of ${runs} run(s)`,
    process.argv.includes('--no-servers') ? null : 'the star and the route once through the api, the star once through the worker',
  ].filter(Boolean);
  printResult({
    benchmark: 'geometry-validate',
    title: "Checking a segment's geometry",
    size: parts.join('; '),
    command: `node bench/geometry-validate.mjs --runs=${runs}`,
    description:
      "`checkLineString` in the benchmark's own process on a 40,000-position winding route and harder shapes of the same size (a spiral; a serpentine of " +
      '20,000 long strokes side by side), a 2,000-position self-crossing star and the 50,000-position limit; then the star and the route through the api ' +
      '(POST /api/segments) and the star as an import through the worker, both as child processes whose resident memory is read from /proc, with a health ' +
      'check every 20 ms while the api checks. Targets from issue 8, section 3: the 40,000-position route checked in under 200 ms, every error answer under 10 kB.',
    figures,
  });
  process.exit(0);
}
const runs = Number(/^--runs=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--runs=')) ?? '')?.[1] ?? 5);
console.log(`checkLineString in this process (median of ${runs} run(s); Node ${process.version}, ${(await import('node:os')).cpus().length} cores)`);
const shapes = [
  ['winding route, 40,000 positions', windingRoute(40000)],
  ['winding route, 50,000 positions (the limit)', windingRoute(50000)],
  ['spiral, 40,000 positions', spiral(40000)],
  ['serpentine, 40,000 positions', serpentine(40000)],
  ['star, 2,000 positions', star(2000)],
  ['50,000 positions crossing at their east end', crossingAtTheEnd(50000)],
  ['50,001 positions (over the limit)', windingRoute(50001)],
];
for (const [label, coordinates] of process.argv.includes('--no-local') ? [] : shapes) {
  const times = [];
  let result;
  for (let run = 0; run < runs; run++) {
    const t = process.hrtime.bigint();
    result = checkLineString({ type: 'LineString', coordinates }, KOTIM_BBOX);
    times.push(ms(t));
  }
  times.sort((a, b) => a - b);
  const verdict = result.line ? 'accepted' : result.problems.map((p) => p.code).join(', ');
  const problemsBytes = Buffer.byteLength(JSON.stringify(result.problems));
  console.log(`  ${label.padEnd(46)} ${times[Math.floor(runs / 2)].toFixed(1).padStart(8)} ms  ${verdict}, problems ${kB(problemsBytes)}`);
  const median = times[Math.floor(runs / 2)];
  figures.push(
    label === 'winding route, 40,000 positions'
      ? { what: `${label}, checked in process (${verdict})`, value: round(median), unit: 'ms', target: '< 200 ms', met: median < 200 }
      : { what: `${label}, checked in process (${verdict})`, value: round(median, median < 1 ? 3 : median < 10 ? 2 : 1), unit: 'ms' },
  );
  if (!result.line) figures.push({ what: `${label}: the problems`, value: round(problemsBytes / 1024, 2), unit: 'kB', target: '< 10 kB', met: problemsBytes < 10 * 1024 });
}
if (process.argv.includes('--no-servers')) report();

const { redisUrl } = loadTestSettings();
const db = await seededDatabase({ name: 'geometry', role: 'planner' });

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const port = await freePort();
const queuePrefix = `bench-geometry-${process.pid}`;
const env = {
  PATH: process.env.PATH ?? '',
  NODE_ENV: 'test',
  LOG_LEVEL: 'error',
  DATABASE_URL: db.url,
  REDIS_URL: redisUrl,
  SERAT_QUEUE_PREFIX: queuePrefix,
  PORT: String(port),
  HOST: '127.0.0.1',
};
/** A compiled program as its own process; resolves once `ready` shows in its output. */
function start(program, ready) {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'apps', program, 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (ready.test(output)) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${program} ended (${code}):\n${output}`)));
  });
}
/** Resident memory now and at its peak so far, in bytes, of a child process. */
function memory(child) {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
const api = await start('api', /listening on/);
const base = `http://127.0.0.1:${port}`;
const { accessToken } = await (
  await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'bench', password: BENCH_PASSWORD, client: 'api' }),
  })
).json();
const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };

/** Posts a segment while a health check runs every 20 ms; the slowest health answer shows how long the api was blocked. */
async function postSegment(code, coordinates) {
  const body = JSON.stringify({ code, geometry: { type: 'LineString', coordinates } });
  let slowestHealthMs = 0;
  let healthFailures = 0;
  let checking = true;
  const health = (async () => {
    while (checking) {
      const t = process.hrtime.bigint();
      try {
        await (await fetch(`${base}/api/health`)).arrayBuffer();
      } catch {
        healthFailures += 1;
      }
      slowestHealthMs = Math.max(slowestHealthMs, ms(t));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const before = memory(api);
  const t = process.hrtime.bigint();
  const response = await fetch(`${base}/api/segments`, { method: 'POST', headers, body });
  const text = await response.text();
  const elapsedMs = ms(t);
  checking = false;
  await health;
  const after = memory(api);
  return {
    status: response.status,
    elapsedMs,
    requestBytes: Buffer.byteLength(body),
    responseBytes: Buffer.byteLength(text),
    before,
    after,
    slowestHealthMs,
    healthFailures,
    text,
  };
}
// One ordinary segment first, so that what is measured is the check, not the first request's warm-up.
await postSegment('BENCH-WARM', windingRoute(50, 112.8, -2.6));
console.log(`\nthrough the api (POST /api/segments, a child process; peak = VmHWM, the most resident memory it ever had)`);
for (const [label, code, coordinates] of [
  ['star, 2,000 positions', 'BENCH-STAR', star(2000)],
  ['winding route, 40,000 positions', 'BENCH-ROUTE', windingRoute(40000)],
]) {
  const r = await postSegment(code, coordinates);
  const problems =
    r.status === 422
      ? JSON.parse(r.text)
          .error.details.problems.map((p) => p.code)
          .join(', ')
      : '';
  console.log(
    `  ${label.padEnd(32)} HTTP ${r.status} ${problems} in ${r.elapsedMs.toFixed(0)} ms (request ${kB(r.requestBytes)}, answer ${kB(r.responseBytes)}); ` +
      `api resident ${mb(r.before.rss)} → ${mb(r.after.rss)}, peak ${mb(r.before.peak)} → ${mb(r.after.peak)}; slowest health check meanwhile ${r.slowestHealthMs.toFixed(0)} ms${r.healthFailures ? ` (${r.healthFailures} failed)` : ''}`,
  );
  const what = `api: ${label}`;
  figures.push({ what: `${what}, POST /api/segments answered ${r.status} ${problems}`.trim(), value: Math.round(r.elapsedMs), unit: 'ms' });
  if (r.status === 422)
    figures.push({ what: `${what}, the error answer`, value: round(r.responseBytes / 1024, 2), unit: 'kB', target: '< 10 kB', met: r.responseBytes < 10 * 1024 });
  figures.push(
    { what: `${what}, api peak resident memory grew by`, value: round((r.after.peak - r.before.peak) / 1024 / 1024), unit: 'MB' },
    { what: `${what}, slowest health check meanwhile${r.healthFailures ? ` (${r.healthFailures} failed)` : ''}`, value: Math.round(r.slowestHealthMs), unit: 'ms' },
  );
}

// The star as an import: the worker's dry run checks it.
const worker = await start('worker', /./);
await new Promise((resolve) => setTimeout(resolve, 3000));
const file = JSON.stringify({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', id: 1, properties: { code: 'BENCH-STAR-IMPORT' }, geometry: { type: 'LineString', coordinates: star(2000) } }],
});
const workerBefore = memory(worker);
const form = new FormData();
form.append('file', new Blob([file]), 'star.geojson');
form.append('options', JSON.stringify({ source: 'bench-star' }));
const t = process.hrtime.bigint();
const created = await (await fetch(`${base}/api/imports`, { method: 'POST', headers: { authorization: headers.authorization }, body: form })).json();
let row;
for (;;) {
  row = await (await fetch(`${base}/api/imports/${created.id}`, { headers: { authorization: headers.authorization } })).json();
  if (['ready', 'failed'].includes(row.state)) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const importMs = ms(t);
const importReport = await (await fetch(`${base}/api/imports/${created.id}/report?limit=10`, { headers: { authorization: headers.authorization } })).json();
const workerAfter = memory(worker);
console.log(
  `\nthe star as an import (GeoJSON ${kB(Buffer.byteLength(file))}): ${row.state} in ${importMs.toFixed(0)} ms (upload to dry run done, 20 ms polling), ` +
    `reasons ${JSON.stringify(importReport.rows.map((r) => r.reasons))}; worker resident ${mb(workerBefore.rss)} → ${mb(workerAfter.rss)}, peak ${mb(workerBefore.peak)} → ${mb(workerAfter.peak)}`,
);
figures.push(
  { what: `worker: the star as a GeoJSON import, upload to dry run ${row.state}`, value: Math.round(importMs), unit: 'ms' },
  { what: 'worker: the star as an import, worker peak resident memory grew by', value: round((workerAfter.peak - workerBefore.peak) / 1024 / 1024), unit: 'MB' },
);

for (const child of [worker, api]) {
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}
await dropQueueKeys(redisUrl, queuePrefix);
await db.drop();
report();
