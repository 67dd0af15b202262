/* global document, requestAnimationFrame */
// The map at scale (issue 11): what a typical view costs, how fast a map is drawn, how fast a change
// reaches another person's map, and the api's memory meanwhile.
//
// 1. Viewports: a 1280 × 800 view at zoom 8, 12 and 15 (centred on Sampit and on the same place in
//    the generated copies of the kabupaten), its tiles as the web app asks for them (the view and
//    a quarter around it, GET /api/map/tiles, 6 at a time as a browser does): p50/p95/p99 of the
//    whole view's server time and its bytes (JSON, and gzipped as sent), beside the same SQL run
//    straight through pg (MapTilesService on a DataSource, no HTTP, no Nest) in the same run.
// 2. Navigation to a drawn map in headless Chromium (signed in, nothing cached): from goto() to
//    body[data-map-ready] and body[data-map-idle], at the region view and at Sampit, zoom 15.
// 3. A status change seen on a second browser's map: POST …/status by the api, until the
//    segment's line on the open map has its new colour (the live feed, then a read by id).
// 4. The api's resident memory (VmRSS now, VmHWM the peak) as a process of its own, during all of it.
//
// Usage: node bench/map-scale.mjs [--database-url URL] [--runs N]
//   Without --database-url: a fresh database seeded with Kotim (as `npm run bench` runs it).
//   With it: a database made by `npm run bench:generate` (it adds one user, `bench-map`).
// Needs the built server and web app, the test PostgreSQL and Redis, and Debian's Chromium.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { BENCH_PASSWORD, seededDatabase } from './support/api.mjs';
import { msSince, printResult, round } from './support/result.mjs';

const require = createRequire(import.meta.url);
const { loadTestSettings } = require('../dist/libs/config/src');
const db_ = require('../dist/libs/database/src');
const d = require('../dist/libs/domain/src');
const contract = require('../dist/libs/contract/src');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const databaseUrl = arg('--database-url');
const RUNS = Number(arg('--runs') ?? 30);
const VIEW = { width: 1280, height: 800 };
const SAMPIT = [112.9509, -2.5383];
const ZOOMS = [8, 12, 15];
const settings = loadTestSettings();

// ------------------------------------------------------------------ the database and the api
let db;
let where;
if (databaseUrl) {
  const dataSource = db_.createDataSource({ url: databaseUrl });
  await dataSource.initialize();
  const users = new d.UsersService(
    new d.UnitOfWork(dataSource),
    new d.UsersRepository(dataSource),
    new d.AuthTokensRepository(dataSource),
    new d.AuditRepository(dataSource),
    new d.PasswordHasher(),
  );
  const [known] = await dataSource.query(`SELECT id FROM users WHERE username = 'bench-map'`);
  if (!known)
    await users.create(
      { email: 'bench-map@serat.invalid', username: 'bench-map', displayName: 'Bench map', role: 'planner', password: BENCH_PASSWORD },
      { actorId: null, actorLabel: 'bench' },
    );
  db = { url: databaseUrl, dataSource, login: 'bench-map', drop: async () => dataSource.destroy() };
} else {
  const seeded = await seededDatabase({ name: 'map-scale', role: 'planner' });
  db = { ...seeded, login: 'bench' };
}
const [{ n: segmentCount }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM segments`);
const [{ server_version: postgresVersion }] = await db.dataSource.query('SHOW server_version');
where = `${segmentCount.toLocaleString('en')} segments on PostgreSQL ${postgresVersion.split(' ')[0]}${databaseUrl ? ' (a generated network)' : ' (seeded Kotim)'}`;
// The api as a process of its own, so that its memory is its own.
const port = 20000 + (process.pid % 20000);
const api = spawn(process.execPath, [path.join(root, 'dist/apps/api/src/main.js')], {
  env: {
    ...process.env,
    DATABASE_URL: db.url,
    REDIS_URL: settings.redisUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    SERAT_QUEUE_PREFIX: `bench-map-${process.pid}`,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
await new Promise((resolve, reject) => {
  api.stdout.on('data', (chunk) => String(chunk).includes('listening') && resolve());
  api.on('exit', (code) => reject(new Error(`the api stopped (${code})`)));
});
const memory = () => {
  const status = fs.readFileSync(`/proc/${api.pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
};
const login = await fetch(`${base}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ login: db.login, password: BENCH_PASSWORD, client: 'api' }),
});
if (!login.ok) throw new Error(`sign-in: HTTP ${login.status} ${await login.text()}`);
const authorization = `Bearer ${(await login.json()).accessToken}`;
const figures = [];
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (v) => `${v.toFixed(1)} ms`;

// ------------------------------------------------------------------ 1. viewports
/** The tiles the web app asks for a 1280 × 800 view centred at [lon, lat] at this zoom (map/network-data.ts). */
function viewTiles([lon, lat], zoom) {
  const world = 256 * 2 ** zoom;
  const x = ((lon + 180) / 360) * world;
  const r = (lat * Math.PI) / 180;
  const y = ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * world;
  const lonAt = (px) => (px / world) * 360 - 180;
  const latAt = (py) => (180 / Math.PI) * Math.atan(Math.sinh(Math.PI - (2 * Math.PI * py) / world));
  // Leaflet's bounds.pad(0.25): a quarter of the view's size on every side.
  const [halfW, halfH] = [(VIEW.width / 2) * 1.5, (VIEW.height / 2) * 1.5];
  return contract.tilesCovering([lonAt(x - halfW), latAt(y + halfH), lonAt(x + halfW), latAt(y - halfH)], contract.tileZoomFor(zoom));
}
/** Runs `work` over items, `limit` at a time. */
async function pool(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}
const [{ copies }] = await db.dataSource.query(`SELECT count(*)::int AS copies FROM admin_areas WHERE level = 'kabupaten'`);
// Sampit in the original and in each copy (1.25° east, then 2.15° south: libs/demo/src/generated-network.ts).
const centres = Array.from({ length: Math.min(copies, 5) }, (_, i) => [SAMPIT[0] + (i % 8) * 1.25, SAMPIT[1] - Math.floor(i / 8) * 2.15]);
const tiles = new d.MapTilesService(
  new d.SegmentsRepository(db.dataSource),
  new d.NodesRepository(db.dataSource),
  new d.SitesRepository(db.dataSource, new d.ConnectivityRepository(db.dataSource)),
);
console.log(`map at scale: ${where}; ${RUNS} runs of each view at ${centres.length} place(s)`);
for (const zoom of ZOOMS) {
  const views = centres.map((centre) => viewTiles(centre, zoom));
  const api_ = [];
  const raw = [];
  let jsonBytes = 0;
  let gzipBytes = 0;
  let features = 0;
  const viewApi = (view) =>
    pool(view, 6, async (t) => {
      const response = await fetch(`${base}/api/map/tiles/${contract.tileKey(t)}`, { headers: { authorization, 'accept-encoding': 'gzip' } });
      if (response.status !== 200) throw new Error(`tile ${contract.tileKey(t)}: HTTP ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    });
  const viewRaw = (view) => pool(view, 6, (t) => tiles.tile(t));
  for (const view of views) await viewApi(view); // warm the caches of PostgreSQL and the api
  for (let run = 0; run < RUNS; run++) {
    for (const view of views) {
      let t = process.hrtime.bigint();
      const bodies = await viewApi(view);
      api_.push(msSince(t));
      t = process.hrtime.bigint();
      await viewRaw(view);
      raw.push(msSince(t));
      if (run === 0) {
        for (const body of bodies) {
          jsonBytes += body.length;
          gzipBytes += zlib.gzipSync(body).length;
          const tile = JSON.parse(body.toString('utf8'));
          features += tile.segments.features.length + tile.nodes.features.length + tile.sites.features.length;
        }
      }
    }
  }
  api_.sort((a, b) => a - b);
  raw.sort((a, b) => a - b);
  const n = views.length;
  const tilesPerView = views.reduce((sum, v) => sum + v.length, 0) / n;
  const ratio = percentile(api_, 95) / percentile(raw, 95);
  console.log(
    `zoom ${zoom}: ${tilesPerView.toFixed(1)} tiles a view, ${Math.round(features / n)} features, ${(jsonBytes / n / 1024).toFixed(0)} KiB JSON, ${(gzipBytes / n / 1024).toFixed(0)} KiB gzipped; ` +
      `api p50 ${ms(percentile(api_, 50))} p95 ${ms(percentile(api_, 95))} p99 ${ms(percentile(api_, 99))}; same SQL p50 ${ms(percentile(raw, 50))} p95 ${ms(percentile(raw, 95))} p99 ${ms(percentile(raw, 99))}`,
  );
  const reference = `the same SQL through pg (no HTTP): p50 ${ms(percentile(raw, 50))}, p95 ${ms(percentile(raw, 95))}, p99 ${ms(percentile(raw, 99))}; api ${ratio.toFixed(2)}× at p95`;
  figures.push(
    { what: `a view at zoom ${zoom}, p50`, value: round(percentile(api_, 50)), unit: 'ms' },
    { what: `a view at zoom ${zoom}, p95`, value: round(percentile(api_, 95)), unit: 'ms', target: 'within 1.3× the same SQL', met: ratio <= 1.3, reference },
    { what: `a view at zoom ${zoom}, p99`, value: round(percentile(api_, 99)), unit: 'ms' },
    { what: `a view at zoom ${zoom}: tiles, features`, value: round(tilesPerView), unit: `tiles, ${Math.round(features / n)} features` },
    { what: `a view at zoom ${zoom}: bytes gzipped (JSON)`, value: round(gzipBytes / n / 1024), unit: `KiB (${round(jsonBytes / n / 1024)} KiB)` },
  );
}
const afterViews = memory();

// ------------------------------------------------------------------ 2. and 3. in a browser
const browser = await chromium.launch({
  executablePath: settings.chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
async function signedInPage() {
  const context = await browser.newContext({ viewport: VIEW, locale: 'id-ID', serviceWorkers: 'block' });
  const signIn = await context.request.post(`${base}/api/auth/login`, { data: { login: db.login, password: BENCH_PASSWORD } });
  if (!signIn.ok()) throw new Error(`sign-in: HTTP ${signIn.status()}`);
  return context.newPage();
}
async function drawnIn(hash) {
  const page = await signedInPage();
  const started = Date.now();
  await page.goto(`${base}/${hash}`, { waitUntil: 'commit' });
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
  await page.waitForSelector('body[data-map-idle="true"]', { state: 'attached', timeout: 120_000 });
  const took = Date.now() - started;
  // SVG paths or one canvas (a dense view): the map's element says how many it drew.
  const drawn = await page.evaluate(() => Number(document.getElementById('map')?.dataset.segmentsDrawn ?? 0));
  await page.context().close();
  return { took, drawn };
}
for (const [label, hash] of [
  ['the region view', ''],
  ['Sampit at zoom 15', `#15/${SAMPIT[1]}/${SAMPIT[0]}`],
]) {
  await drawnIn(hash); // the first load of the app's files
  const times = [];
  let drawn = 0;
  for (let i = 0; i < 5; i++) ({ took: times[i], drawn } = await drawnIn(hash));
  times.sort((a, b) => a - b);
  console.log(`navigation to a drawn map, ${label}: median ${times[2]} ms, slowest ${times[4]} ms, ${drawn} segments drawn`);
  figures.push({
    what: `navigation to a drawn map, ${label} (median of 5)`,
    value: times[2],
    unit: `ms (slowest ${times[4]} ms, ${drawn} segments drawn)`,
    target: '< 2 s',
    met: times[2] < 2000,
  });
}

// A status change seen on a second browser's map: a technician's change (here the planner's, by the api) on the open map at Sampit.
const watcher = await signedInPage();
await watcher.goto(`${base}/#15/${SAMPIT[1]}/${SAMPIT[0]}`);
await watcher.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
await watcher.waitForSelector('body[data-feed="live"]', { state: 'attached', timeout: 30_000 });
const onMap = await watcher.evaluate(() => Number(document.getElementById('map')?.dataset.segmentsDrawn ?? 0));
const renderer = await watcher.evaluate(() => document.getElementById('map')?.dataset.segmentRenderer ?? 'svg');
// Segments well inside that view (it spans about 0.055° × 0.034° at zoom 15).
const candidates = await db.dataSource.query(
  `SELECT id, code, status, version FROM segments WHERE status IN ('planned', 'surveyed') AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) ORDER BY code LIMIT 20`,
  [SAMPIT[0] - 0.02, SAMPIT[1] - 0.012, SAMPIT[0] + 0.02, SAMPIT[1] + 0.012],
);
const seen = [];
for (const segment of candidates) {
  // One step on in the lifecycle, so that a second run on the same database still has steps to time.
  const next = segment.status === 'planned' ? 'surveyed' : 'in_construction';
  // Seen: the watcher's map read the changed segment (the feed told it) and drew the frame after.
  const read = watcher.waitForResponse((r) => r.url().endsWith(`/api/segments/${segment.id}`) && r.request().method() === 'GET', { timeout: 10_000 });
  const response = await fetch(`${base}/api/segments/${segment.id}/status`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ status: next, version: segment.version, note: 'bench: live update' }),
  });
  const answered = Date.now();
  if (response.status !== 201) {
    console.log(`status change of ${segment.code}: HTTP ${response.status} ${await response.text()}`);
    read.catch(() => undefined);
    continue;
  }
  try {
    await read;
    await watcher.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    seen.push(Date.now() - answered);
  } catch {
    console.log(`${segment.code} (${next}) was not read by the other map within 10 s: not drawn in that view?`);
  }
  await watcher.waitForSelector('body[data-map-idle="true"]', { state: 'attached', timeout: 30_000 });
}
seen.sort((a, b) => a - b);
if (seen.length) {
  console.log(
    `a status change seen on another map: ${seen.length} changes, p50 ${percentile(seen, 50)} ms, p95 ${percentile(seen, 95)} ms (${onMap} segments on that map, drawn on ${renderer})`,
  );
  figures.push({
    what: 'a status change seen on a second browser’s map, p95',
    value: percentile(seen, 95),
    unit: `ms (p50 ${percentile(seen, 50)} ms, ${seen.length} changes)`,
    target: 'p95 < 1 s',
    met: percentile(seen, 95) < 1000,
  });
} else console.log('a status change seen on another map: no segment of the view could be changed (none planned or surveyed there)');
await browser.close();
const atEnd = memory();
console.log(`api memory: after the views ${afterViews.rssMiB.toFixed(0)} MiB, at the end ${atEnd.rssMiB.toFixed(0)} MiB, peak ${atEnd.peakMiB.toFixed(0)} MiB`);
figures.push({ what: 'api resident memory, peak under this load', value: round(atEnd.peakMiB, 0), unit: `MiB (${round(atEnd.rssMiB, 0)} MiB at the end)` });

api.kill('SIGTERM');
await new Promise((resolve) => api.on('exit', resolve));
await db.drop();

printResult({
  benchmark: 'map-scale',
  title: 'The map at scale: views, drawn maps, live updates, api memory',
  size: where,
  command: `node bench/map-scale.mjs${databaseUrl ? ' --database-url …' : ''} --runs ${RUNS}`,
  description:
    `A 1280 × 800 view at zoom ${ZOOMS.join(', ')} around Sampit (and the same place in up to 4 generated copies): its tiles as the web app asks for them ` +
    '(the view and a quarter around it, 6 requests at a time), the whole view timed, beside the same SQL through pg in the same run; ' +
    'navigation to a drawn map in headless Chromium (5 runs after one that loads the files); a status change by the api until the line on an open map has its new colour; ' +
    "the api's resident memory, as a process of its own.",
  figures,
});
