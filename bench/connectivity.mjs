// "Connected" at a province's scale: a synthetic network of N nodes and N-1 active segments
// (trees hanging off 14 NOCs, one per kabupaten) and N/10 sites, on a migrated test database.
// Times a page of /api/sites as the api reads it (SitesRepository.findFeatures) with nothing
// changed, the first read after a cut and after its repair (which bring connected_nodes up to date), and, for
// comparison, the recursive query that used to run on every read.
// Needs `npm run build:server` and the test PostgreSQL. Usage: node bench/connectivity.mjs [N=50000]
import { createRequire } from 'node:module';
import { printResult, round } from './support/result.mjs';
const require = createRequire(import.meta.url);
const { loadTestSettings } = require('../dist/libs/config/src');
const db_ = require('../dist/libs/database/src');
const d = require('../dist/libs/domain/src');

const n = Number(process.argv[2] ?? 50000);
const rounds = 20;
const { adminDatabaseUrl } = loadTestSettings();
const suffix = `bench_conn_${process.pid}`;
await db_.createMigratedTemplate(adminDatabaseUrl, suffix);
const db = await db_.createTestDatabase(adminDatabaseUrl, { template: db_.templateName(suffix) });
const ds = db_.createDataSource({ url: db.url });
await ds.initialize();

// Node i (i > 14) hangs off a node up to 20 before it: deep, branching trees, no cycles.
await ds.query(
  `INSERT INTO nodes (code, kind, status, location)
   SELECT 'B-' || lpad(g::text, 7, '0'), CASE WHEN g <= 14 THEN 'noc' ELSE 'joint_closure' END, 'active',
          ST_SetSRID(ST_MakePoint(111 + (g % 1000) * 0.002, -3 + (g / 1000) * 0.002), 4326)
     FROM generate_series(1, $1) g`,
  [n],
);
await ds.query(
  `INSERT INTO segments (code, from_node_id, to_node_id, status, geom)
   SELECT 'BS-' || lpad(g::text, 7, '0'), a.id, b.id, 'active', ST_MakeLine(a.location, b.location)
     FROM generate_series(15, $1) g
     JOIN nodes a ON a.code = 'B-' || lpad(g::text, 7, '0')
     JOIN nodes b ON b.code = 'B-' || lpad(greatest(1, g - 1 - (hashint4(g) & 2147483647) % 20)::text, 7, '0')
    WHERE NOT ST_Equals(a.location, b.location)`,
  [n],
);
await ds.query(
  `INSERT INTO sites (code, name, kind, location, termination_node_id)
   SELECT 'BSITE-' || lpad(g::text, 7, '0'), 'Site ' || g, 'sopd', n.location, n.id
     FROM generate_series(1, $1 / 10) g JOIN nodes n ON n.code = 'B-' || lpad((g * 10)::text, 7, '0')`,
  [n],
);
await ds.query(`ANALYZE`);
const [counts] = await ds.query(`SELECT (SELECT count(*) FROM nodes)::int AS nodes, (SELECT count(*) FROM segments)::int AS segments, (SELECT count(*) FROM sites)::int AS sites`);

const sites = new d.SitesRepository(ds, new d.ConnectivityRepository(ds));
const time = async (run) => {
  const t = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
const summary = (times) =>
  `median ${median(times).toFixed(1).padStart(7)} ms  max ${Math.max(...times)
    .toFixed(1)
    .padStart(7)} ms`;
await sites.findFeatures({ limit: 200 });

const unchanged = [];
for (let i = 0; i < rounds; i++) unchanged.push(await time(() => sites.findFeatures({ limit: 200 })));
// A cut (an active segment damaged: what it cut off is found by walking the whole network) and its
// repair (a join: the walk starts from the segment's ends), in turns.
const afterCut = [];
const afterRepair = [];
for (let i = 0; i < rounds; i++) {
  await ds.query(`UPDATE segments SET status = 'damaged' WHERE code = 'BS-0000100'`);
  afterCut.push(await time(() => sites.findFeatures({ limit: 200 })));
  await ds.query(`UPDATE segments SET status = 'active' WHERE code = 'BS-0000100'`);
  afterRepair.push(await time(() => sites.findFeatures({ limit: 200 })));
}
const recursive = [];
for (let i = 0; i < rounds; i++) {
  recursive.push(
    await time(() =>
      ds.query(`
        WITH RECURSIVE reachable(node_id) AS (
          SELECT n.id FROM nodes n WHERE n.kind = 'noc' AND n.status = 'active'
          UNION
          SELECT CASE WHEN s.from_node_id = r.node_id THEN s.to_node_id ELSE s.from_node_id END
            FROM reachable r JOIN segments s ON (s.from_node_id = r.node_id OR s.to_node_id = r.node_id)
           WHERE s.status = 'active')
        SELECT s.code, EXISTS (SELECT 1 FROM reachable r WHERE r.node_id = s.termination_node_id) AS connected
          FROM sites s ORDER BY s.code LIMIT 201`),
    ),
  );
}
const [connected] = await ds.query(`SELECT count(*)::int AS n FROM connected_nodes`);
console.log(`${counts.nodes} nodes, ${counts.segments} segments, ${counts.sites} sites; ${connected.n} nodes connected`);
console.log(`  sites page (200), nothing changed:        ${summary(unchanged)}`);
console.log(`  sites page (200), first after a cut:      ${summary(afterCut)}`);
console.log(`  sites page (200), first after a repair:   ${summary(afterRepair)}`);
console.log(`  the recursive query on every read (old):  ${summary(recursive)}`);

await ds.destroy();
await db.drop();
await db_.dropTemplateDatabase(adminDatabaseUrl, db_.templateName(suffix));

const old = `the recursive query it replaced, run on every read: median ${round(median(recursive))} ms`;
printResult({
  benchmark: 'connectivity',
  title: '"Connected" at a province\'s scale',
  size: `${counts.nodes.toLocaleString('en')} nodes, ${counts.segments.toLocaleString('en')} active segments, ${counts.sites.toLocaleString('en')} sites`,
  command: `node bench/connectivity.mjs ${n}`,
  description:
    `A page of 200 sites with \`connected\` (SitesRepository.findFeatures, as /api/sites reads it) on a synthetic network: trees off 14 NOCs on a migrated PostgreSQL database. ` +
    `Median of ${rounds} reads with nothing changed, of ${rounds} first reads after a cut (an active segment damaged: the whole network is walked again) ` +
    `and of ${rounds} after its repair (a join: the walk starts from the segment's ends). ` +
    'The reference is the recursive query that used to run on every read, timed in the same run.',
  figures: [
    { what: 'a sites page, nothing changed (median)', value: round(median(unchanged)), unit: 'ms', reference: old },
    { what: 'a sites page, first read after a cut (median)', value: round(median(afterCut)), unit: 'ms', reference: old },
    { what: 'a sites page, first read after a repair (median)', value: round(median(afterRepair)), unit: 'ms', reference: old },
  ],
});
