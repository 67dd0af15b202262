import { ConnectivityRepository, NodesRepository, SegmentsRepository, SitesRepository } from '@serat/domain';
import { lineLengthM } from '@serat/geo';
import type { LineString } from 'geojson';
import { useTestDatabase } from '../../../../test/support/databases';

describe('network repositories on PostGIS (seeded Kotim demo)', () => {
  const db = useTestDatabase({ seeded: true });
  let segments: SegmentsRepository;
  let nodes: NodesRepository;
  let sites: SitesRepository;

  beforeAll(() => {
    segments = new SegmentsRepository(db.dataSource);
    nodes = new NodesRepository(db.dataSource);
    sites = new SitesRepository(db.dataSource, new ConnectivityRepository(db.dataSource));
  });

  it('stores the geodesic length of every segment, agreeing with turf within 0.1 %', async () => {
    const page = await segments.findFeatures({ limit: 5000 });
    expect(page.features.length).toBeGreaterThan(50);
    for (const feature of page.features) {
      const stored = Number(feature.properties!.lengthM);
      const turfM = lineLengthM(feature.geometry as LineString);
      expect(Math.abs(stored - turfM) / turfM).toBeLessThan(0.001);
    }
  });

  it('recomputes the length when the geometry changes', async () => {
    // A 0.01° meridian arc at the latitude of Sampit is 1111.95 m on the mean-radius sphere.
    await db.dataSource.query(`UPDATE segments SET geom = ST_GeomFromText('LINESTRING(112.95 -2.53, 112.95 -2.54)', 4326) WHERE code = (SELECT min(code) FROM segments)`);
    const [row] = await db.dataSource.query(`SELECT code, length_m FROM segments WHERE code = (SELECT min(code) FROM segments)`);
    expect(row.length_m).toBeCloseTo(1111.95, 1);
    expect(await segments.lengthOf(row.code)).toBeCloseTo(1111.95, 1);
  });

  it('filters nodes, sites and segments by bbox', async () => {
    const sampit: [number, number, number, number] = [112.9, -2.6, 113.0, -2.48];
    const nodesIn = await nodes.findFeatures({ limit: 5000, bbox: sampit });
    const allNodes = await nodes.findFeatures({ limit: 5000 });
    expect(nodesIn.features.length).toBeGreaterThan(0);
    expect(nodesIn.features.length).toBeLessThan(allNodes.features.length);
    for (const f of nodesIn.features) {
      const [lon, lat] = (f.geometry as { coordinates: number[] }).coordinates;
      expect(lon >= sampit[0] && lon <= sampit[2] && lat >= sampit[1] && lat <= sampit[3]).toBe(true);
    }
    const sitesIn = await sites.findFeatures({ limit: 5000, bbox: sampit });
    const sopdIn = sitesIn.features.filter((f) => f.properties!.kind === 'sopd');
    expect(sopdIn).toHaveLength(36);
    const segmentsFar = await segments.findFeatures({ limit: 5000, bbox: [100, 10, 101, 11] });
    expect(segmentsFar.features).toEqual([]);
  });

  it('derives the areas of every site from the polygons', async () => {
    const page = await sites.findFeatures({ limit: 5000 });
    expect(page.features).toHaveLength(53);
    for (const f of page.features) {
      const p = f.properties!;
      expect(p.kabupatenCode).toBe('62.02');
      expect(p.desaCode?.startsWith(`${p.kecamatanCode}.`)).toBe(true);
      if (p.kind === 'kantor_kecamatan') expect(p.code).toBe(`KEC-${p.kecamatanCode}`);
      if (p.kind === 'sopd') expect(['62.02.05', '62.02.06']).toContain(p.kecamatanCode);
    }
  });

  it('derives "connected" from paths of active segments to the NOC', async () => {
    const connected = await sites.connectedCodes();
    const [diskominfo] = await db.dataSource.query(`SELECT code FROM sites WHERE short_name = 'Diskominfo'`);
    expect(connected).toContain(diskominfo.code);
    expect(connected.length).toBeGreaterThan(10);
    expect(connected.length).toBeLessThan(53);

    // Cut the drop of one connected SOPD: that site, and only that one, drops off.
    const victim = connected.find((code) => code !== diskominfo.code)!;
    const [drop] = await db.dataSource.query(`SELECT s.id FROM segments s JOIN sites t ON t.termination_node_id IN (s.from_node_id, s.to_node_id) WHERE t.code = $1`, [victim]);
    await db.dataSource.query(`UPDATE segments SET status = 'damaged' WHERE id = $1`, [drop.id]);
    const after = await sites.connectedCodes();
    expect(after).toEqual(connected.filter((code) => code !== victim));
    const feature = (await sites.findFeatures({ limit: 5000 })).features.find((f) => f.properties!.code === victim)!;
    expect(feature.properties!.connected).toBe(false);
  });

  it('keeps "connected" in step with every committed change, also one committed while a reader refreshed', async () => {
    const connectivity = new ConnectivityRepository(db.dataSource);
    await connectivity.refresh();
    // Nothing changed since: no recomputation.
    expect(await connectivity.refresh()).toBe(false);
    const before = await sites.connectedCodes();

    // A technician's transaction repairs a damaged drop but has not committed yet while a planner reads.
    const [damaged] = await db.dataSource.query(
      `SELECT s.id, t.code FROM segments s JOIN sites t ON t.termination_node_id IN (s.from_node_id, s.to_node_id) WHERE s.status = 'damaged' LIMIT 1`,
    );
    const runner = db.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(`UPDATE segments SET status = 'active' WHERE id = $1`, [damaged.id]);
      expect(await sites.connectedCodes()).toEqual(before);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    // The mark it left becomes visible at its commit: the next read sees the repair.
    expect((await sites.connectedCodes()).sort()).toEqual([...before, damaged.code].sort());

    // The NOC going down disconnects every site; back up, they return.
    await db.dataSource.query(`UPDATE nodes SET status = 'damaged' WHERE kind = 'noc'`);
    expect(await sites.connectedCodes()).toEqual([]);
    await db.dataSource.query(`UPDATE nodes SET status = 'active' WHERE kind = 'noc'`);
    expect((await sites.connectedCodes()).sort()).toEqual([...before, damaged.code].sort());
  });

  it('recomputes "connected" without waiting for an import that holds the nodes it matched', async () => {
    const [cut] = await db.dataSource.query(
      `SELECT s.id FROM segments s JOIN sites t ON t.termination_node_id IN (s.from_node_id, s.to_node_id) WHERE s.status = 'active' LIMIT 1`,
    );
    await db.dataSource.query(`UPDATE segments SET status = 'damaged' WHERE id = $1`, [cut.id]);
    const before = await sites.connectedCodes();
    await db.dataSource.query(`UPDATE segments SET status = 'active' WHERE id = $1`, [cut.id]);
    // An import's commit holds every node it matched until it ends.
    const importing = db.dataSource.createQueryRunner();
    await importing.startTransaction();
    try {
      await importing.query(`SELECT id FROM nodes FOR UPDATE`);
      const read = sites.connectedCodes();
      const waited = await Promise.race([read.then(() => false), new Promise((resolve) => setTimeout(() => resolve(true), 3000))]);
      expect(waited).toBe(false);
      expect((await read).length).toBeGreaterThan(before.length);
    } finally {
      await importing.rollbackTransaction();
      await importing.release();
    }
  });

  describe('what a change marks for the connectivity refresh', () => {
    const marks = async () =>
      (await db.dataSource.query(`SELECT full_recompute, cardinality(seeds) AS seeds FROM network_changes ORDER BY id`)) as { full_recompute: boolean; seeds: number | null }[];
    const connectedNodes = async () => ((await db.dataSource.query(`SELECT node_id FROM connected_nodes ORDER BY node_id`)) as { node_id: string }[]).map((r) => r.node_id);
    /** connected_nodes as a walk of the whole network makes it. */
    const walkedWhole = async () => {
      await db.dataSource.query(`INSERT INTO network_changes (full_recompute) VALUES (true)`);
      await connectivity.refresh();
      return connectedNodes();
    };
    let connectivity: ConnectivityRepository;
    beforeAll(async () => {
      connectivity = new ConnectivityRepository(db.dataSource);
      await connectivity.refresh();
    });

    it('leaves no mark for a change that cannot change "connected" (a planned segment surveyed, an active route redrawn)', async () => {
      const [planned] = await db.dataSource.query(`SELECT id FROM segments WHERE status = 'planned' LIMIT 1`);
      await db.dataSource.query(`UPDATE segments SET status = 'surveyed' WHERE id = $1`, [planned.id]);
      await db.dataSource.query(`UPDATE segments SET geom = ST_Reverse(geom) WHERE id = (SELECT id FROM segments WHERE status = 'active' ORDER BY code LIMIT 1)`);
      await db.dataSource.query(`UPDATE nodes SET name = name || ' (baru)' WHERE kind = 'joint_closure'`);
      expect(await marks()).toEqual([]);
      expect(await connectivity.refresh()).toBe(false);
    });

    it('joins from the seeds of segments that became active, exactly as a walk of the whole network', async () => {
      const before = await connectedNodes();
      // Every segment not active yet, activated a few at a time in code order (a rollout's order).
      const waiting = ((await db.dataSource.query(`SELECT id FROM segments WHERE status <> 'active' ORDER BY code`)) as { id: string }[]).map((r) => r.id);
      expect(waiting.length).toBeGreaterThan(5);
      for (let i = 0; i < waiting.length; i += 4) {
        await db.dataSource.query(`UPDATE segments SET status = 'active' WHERE id = ANY($1::uuid[])`, [waiting.slice(i, i + 4)]);
        const left = await marks();
        expect(left.every((mark) => !mark.full_recompute && mark.seeds! > 0)).toBe(true);
        await connectivity.refresh();
        const joined = await connectedNodes();
        expect(joined).toEqual(await walkedWhole());
      }
      expect((await connectedNodes()).length).toBeGreaterThan(before.length);
    });

    it('walks the whole network again when something can be cut off (an active segment damaged, a NOC down)', async () => {
      const [active] = await db.dataSource.query(`SELECT id FROM segments WHERE status = 'active' ORDER BY code DESC LIMIT 1`);
      await db.dataSource.query(`UPDATE segments SET status = 'damaged' WHERE id = $1`, [active.id]);
      expect(await marks()).toEqual([{ full_recompute: true, seeds: null }]);
      await connectivity.refresh();
      expect(await connectedNodes()).toEqual(await walkedWhole());

      await db.dataSource.query(`UPDATE nodes SET status = 'damaged' WHERE kind = 'noc'`);
      expect(await marks()).toEqual([{ full_recompute: true, seeds: null }]);
      await connectivity.refresh();
      expect(await connectedNodes()).toEqual([]);
      // The NOC back up is a join: its seed, from which the walk reaches everything again.
      await db.dataSource.query(`UPDATE nodes SET status = 'active' WHERE kind = 'noc'`);
      expect(await marks()).toEqual([{ full_recompute: false, seeds: 1 }]);
      await connectivity.refresh();
      const joined = await connectedNodes();
      expect(joined.length).toBeGreaterThan(10);
      expect(joined).toEqual(await walkedWhole());
    });
  });

  it('keeps the first status of every seeded segment and node in the history', async () => {
    const [row] = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM segments)::int AS segments, (SELECT count(*) FROM nodes)::int AS nodes,
              (SELECT count(*) FROM status_changes WHERE segment_id IS NOT NULL AND from_status IS NULL)::int AS segment_history,
              (SELECT count(*) FROM status_changes WHERE node_id IS NOT NULL AND from_status IS NULL)::int AS node_history`,
    );
    expect(row.segment_history).toBe(row.segments);
    expect(row.node_history).toBe(row.nodes);
  });
});
