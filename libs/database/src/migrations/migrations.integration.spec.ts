import { isMigrated, migrateUp } from '@serat/database';
import { MIGRATIONS } from './index';
import { openTestDatabase, OpenTestDatabase } from '../../../../test/support/databases';

describe('migrations on PostgreSQL + PostGIS', () => {
  let db: OpenTestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: false });
  });
  afterAll(() => db.close());

  const tables = async () =>
    (
      await db.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      )
    ).map((row: { table_name: string }) => row.table_name);

  it('creates the schema on an empty database, with PostGIS and GiST indexes', async () => {
    expect(await isMigrated(db.dataSource)).toBe(false);
    const ran = await migrateUp(db.dataSource);
    expect(ran).toEqual(['InitialSchema1764300000000', 'AccountsAndAudit1764400000000', 'SegmentAreas1764500000000', 'Evidence1764600000000', 'Imports1764700000000', 'AdminAreaParts1764800000000']);
    expect(await isMigrated(db.dataSource)).toBe(true);

    const [ext] = await db.dataSource.query(`SELECT extversion FROM pg_extension WHERE extname = 'postgis'`);
    expect(ext.extversion).toMatch(/^3\./);
    expect(await tables()).toEqual(
      expect.arrayContaining(['admin_areas', 'migrations', 'nodes', 'phases', 'segments', 'sites', 'status_changes']),
    );
    const gist = await db.dataSource.query(`SELECT indexname FROM pg_indexes WHERE indexdef ILIKE '%USING gist%' ORDER BY indexname`);
    expect(gist.map((row: { indexname: string }) => row.indexname)).toEqual([
      'idx_admin_area_parts_geom',
      'idx_admin_areas_geom',
      'idx_nodes_location',
      'idx_segments_geom',
      'idx_sites_location',
    ]);
    const srids = await db.dataSource.query(`SELECT f_table_name, srid FROM geometry_columns ORDER BY f_table_name`);
    expect(srids.every((row: { srid: number }) => row.srid === 4326)).toBe(true);
  });

  it('runs nothing the second time', async () => {
    expect(await migrateUp(db.dataSource)).toEqual([]);
  });

  it('reverts every migration, newest first, to an empty schema, and applies them again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual(['migrations', 'spatial_ref_sys']);
    expect(await isMigrated(db.dataSource)).toBe(false);
    expect(await migrateUp(db.dataSource)).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toEqual(expect.arrayContaining(['segments', 'users', 'audit_log', 'segment_areas']));
  });

  it('refuses geometry that breaks the rules, whatever the client', async () => {
    await db.dataSource.query(
      `INSERT INTO nodes (code, kind, location) VALUES ('A', 'odp', ST_SetSRID(ST_MakePoint(112.95, -2.53), 4326)),
                                                     ('B', 'odp', ST_SetSRID(ST_MakePoint(112.96, -2.53), 4326))`,
    );
    const insertSegment = (wkt: string, from = 'A', to = 'B') =>
      db.dataSource.query(
        `INSERT INTO segments (code, from_node_id, to_node_id, geom)
         SELECT 'S-' || md5(random()::text), f.id, t.id, ST_GeomFromText($1, 4326) FROM nodes f, nodes t WHERE f.code = $2 AND t.code = $3`,
        [wkt, from, to],
      );
    await expect(insertSegment('LINESTRING(112.95 -2.53, 112.95 -2.53)')).rejects.toThrow(/chk_segments_geom_valid/);
    await expect(insertSegment('LINESTRING(112.95 -2.53, 112.96 -2.53)', 'A', 'A')).rejects.toThrow(/chk_segments_distinct_nodes/);
    await expect(insertSegment('LINESTRING(112.95 -2.53, 112.96 -2.53)')).resolves.toBeDefined();
    await expect(
      db.dataSource.query(`UPDATE segments SET status = 'finished'`),
    ).rejects.toThrow(/chk_segments_status/);
  });
});
