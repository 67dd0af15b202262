// Rollout progress at scale (issue 12): the roll-up of every kecamatan (sites in scope, connected
// and passed per kind, metres and nodes per status, the percentages) as GET /api/progress reads it
// (ProgressRepository on a DataSource, no HTTP), beside the raw aggregate SQL over the tables in
// the same run; the same roll-up without the passed sites (the spatial part); the day's snapshot;
// and the back-fill of the history from the status history.
//
// Usage: node bench/progress.mjs [--segments N] [--database-url URL] [--runs R]
//   Without --database-url: a fresh seeded database with a generated network of N segments
//   (default 100,000: `bench/generate.mjs`, about a minute and a half), dropped afterwards.
//   With it: a database made by `npm run bench:generate` (the back-fill is not timed there: it runs
//   once per database).
// Needs the built server and the test PostgreSQL.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seededDatabase } from './support/api.mjs';
import { msSince, printResult, round } from './support/result.mjs';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const db_ = require('../dist/libs/database/src');
const d = require('../dist/libs/domain/src');

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: { segments: { type: 'string', default: '100000' }, 'database-url': { type: 'string' }, runs: { type: 'string', default: '30' } },
});
const SEGMENTS = Number(args.segments);
const RUNS = Number(args.runs);

let db;
if (args['database-url']) {
  const dataSource = db_.createDataSource({ url: args['database-url'] });
  await dataSource.initialize();
  db = { url: args['database-url'], dataSource, drop: () => dataSource.destroy(), generated: false };
} else {
  db = { ...(await seededDatabase({ name: 'progress', role: 'planner' })), generated: true };
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, [path.join(here, 'generate.mjs'), '--segments', String(SEGMENTS), '--seed', '1', '--database-url', db.url], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  db.generateMs = msSince(started);
}
const ds = db.dataSource;
await ds.query('ANALYZE');
const [counts] = await ds.query(
  `SELECT (SELECT count(*) FROM segments)::int AS segments, (SELECT count(*) FROM sites)::int AS sites,
          (SELECT count(*) FROM admin_areas WHERE level = 'kecamatan')::int AS kecamatan, (SELECT count(*) FROM status_changes)::int AS history`,
);

const connectivity = new d.ConnectivityRepository(ds);
const rollups = new d.RollupsRepository(ds, connectivity);
const progress = new d.ProgressRepository(ds, rollups, connectivity);
const history = new d.ProgressHistoryService(new d.UnitOfWork(ds), progress, new d.ProgressHistoryRepository(), connectivity, { timeZone: 'Asia/Jakarta' });
const settings = { passedDistanceM: 200, fiberCostShare: 0.5, regionName: 'Kabupaten Kotawaringin Timur' };
const query = { level: 'kecamatan', parentCode: null, phaseId: null, after: null, limit: 500 };

// The same answer straight from the tables: segments per status and metres through segment_areas,
// nodes per status, sites per kind with connected and passed.
const RAW = `
  SELECT a.code,
         (SELECT json_agg(x) FROM (SELECT s.status, count(*) AS n, sum(sa.length_m) AS m
                                     FROM segment_areas sa JOIN segments s ON s.id = sa.segment_id
                                    WHERE sa.area_code = a.code GROUP BY s.status) x) AS segments,
         (SELECT json_agg(x) FROM (SELECT n.status, count(*) AS n FROM nodes n WHERE n.kecamatan_code = a.code GROUP BY n.status) x) AS nodes,
         (SELECT json_agg(x) FROM (SELECT t.kind, count(*) AS n, count(c.node_id) AS connected,
                                          count(*) FILTER (WHERE c.node_id IS NULL AND EXISTS (
                                            SELECT 1 FROM segments g WHERE g.status = 'active'
                                               AND g.geom && ST_Expand(t.location, 200 / (111320 * cos(radians(ST_Y(t.location)))), 200 / 110574.0)
                                               AND ST_DWithin(g.geom::geography, t.location::geography, 200))) AS passed
                                     FROM sites t LEFT JOIN connected_nodes c ON c.node_id = t.termination_node_id
                                    WHERE t.kecamatan_code = a.code GROUP BY t.kind) x) AS sites
    FROM admin_areas a WHERE a.level = 'kecamatan' ORDER BY a.code`;

const time = async (run) => {
  const t = process.hrtime.bigint();
  await run();
  return msSince(t);
};
const pct = (times, p) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const measure = async (run, runs = RUNS) => {
  await run();
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await time(run));
  return { p50: pct(times, 50), p95: pct(times, 95) };
};

await connectivity.refresh();
const page = await progress.progress(query, settings);
const rollup = await measure(() => progress.progress(query, settings));
const withoutPassed = await measure(() => rollups.areaRows(query));
// Seconds a run at 100,000 segments: a few runs tell its p95.
const raw = await measure(() => ds.query(RAW), Math.min(RUNS, 5));
let backfillMs = null;
let backfill = null;
if (db.generated) {
  const t = process.hrtime.bigint();
  backfill = await history.ensureBackfill();
  backfillMs = msSince(t);
}
const snapshot = await measure(() => progress.snapshot(history.today(), 'on_demand'));
const [{ rows: snapshotRows }] = await ds.query(`SELECT count(*)::int AS rows FROM progress_snapshots`);
await db.drop();

const target = 50;
printResult({
  benchmark: 'progress',
  title: 'Rollout progress: every kecamatan, the snapshot and the back-fill',
  size: `${counts.segments.toLocaleString('en')} segments, ${counts.sites.toLocaleString('en')} sites, ${counts.kecamatan} kecamatan, ${counts.history.toLocaleString('en')} status changes`,
  command: `node bench/progress.mjs --segments ${SEGMENTS} --runs ${RUNS}`,
  description:
    'GET /api/progress?level=kecamatan as the api reads it (the roll-ups of area_figure_deltas plus the passed sites, no HTTP), beside the raw aggregate over the tables in the same run; the day’s snapshot; the back-fill of the history from the status history of a fresh generated network.',
  figures: [
    { what: 'roll-up of every kecamatan, p50', value: round(rollup.p50), unit: 'ms' },
    {
      what: 'roll-up of every kecamatan, p95',
      value: round(rollup.p95),
      unit: 'ms',
      target: `p95 < ${target} ms`,
      met: rollup.p95 < target,
      reference: `raw aggregate SQL p95 ${round(raw.p95)} ms (p50 ${round(raw.p50)} ms)`,
    },
    { what: 'the same without the passed sites, p95', value: round(withoutPassed.p95), unit: 'ms' },
    { what: 'areas in the answer', value: page.areas.length, unit: 'areas' },
    { what: "the day's snapshot (region, kabupaten, kecamatan × phases), p95", value: round(snapshot.p95), unit: 'ms' },
    ...(backfillMs === null
      ? []
      : [
          { what: 'back-fill of the history', value: round(backfillMs / 1000, 2), unit: 's' },
          { what: 'days back-filled', value: backfill.days, unit: 'days' },
          { what: 'snapshot rows kept', value: snapshotRows, unit: 'rows' },
          { what: 'generating the network (not the benchmark)', value: round(db.generateMs / 1000, 1), unit: 's' },
        ]),
  ],
});
