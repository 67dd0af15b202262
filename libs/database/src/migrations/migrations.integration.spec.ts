import { isMigrated, migrateUp } from '@serat/database';
import { MIGRATIONS } from './index';
import { useTestDatabase } from '../../../../test/support/databases';

describe('migrations on PostgreSQL + PostGIS', () => {
  const db = useTestDatabase({ migrated: false });

  const tables = async () =>
    (await db.dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`)).map(
      (row: { table_name: string }) => row.table_name,
    );

  it('creates the schema on an empty database, with PostGIS and GiST indexes', async () => {
    expect(await isMigrated(db.dataSource)).toBe(false);
    const ran = await migrateUp(db.dataSource);
    expect(ran).toEqual([
      'InitialSchema1764300000000',
      'AccountsAndAudit1764400000000',
      'SegmentAreas1764500000000',
      'Evidence1764600000000',
      'Imports1764700000000',
      'AdminAreaParts1764800000000',
      'PhotoBlobs1764900000000',
      'ConnectedNodes1765100000000',
      'ImportJobs1765200000000',
      'ChangeFeed1765400000000',
      'MapTiles1765500000000',
      'AreaRollups1765600000000',
      'ConnectivityMarks1765700000000',
      'RolloutProgress1765800000000',
      'Milestones1765900000000',
      'EvidencePacks1766000000000',
      'SitesPassed1766100000000',
      'Monitors1766200000000',
    ]);
    expect(await isMigrated(db.dataSource)).toBe(true);

    const [ext] = await db.dataSource.query(`SELECT extversion FROM pg_extension WHERE extname = 'postgis'`);
    expect(ext.extversion).toMatch(/^3\./);
    expect(await tables()).toEqual(expect.arrayContaining(['admin_areas', 'migrations', 'nodes', 'phases', 'segments', 'sites', 'status_changes']));
    const gist = await db.dataSource.query(`SELECT indexname FROM pg_indexes WHERE indexdef ILIKE '%USING gist%' ORDER BY indexname`);
    expect(gist.map((row: { indexname: string }) => row.indexname)).toEqual([
      'idx_admin_area_parts_geom',
      'idx_admin_areas_geom',
      'idx_nodes_location',
      'idx_nodes_location_major',
      'idx_segments_geom',
      'idx_segments_geom_backbone',
      'idx_segments_geom_distribution',
      'idx_sites_location',
      'idx_sites_location_desa',
      'idx_sites_location_offices',
    ]);
    const srids = await db.dataSource.query(`SELECT f_table_name, srid FROM geometry_columns ORDER BY f_table_name`);
    expect(srids.every((row: { srid: number }) => row.srid === 4326)).toBe(true);
  });

  /** Reverts the newest migrations down to and including the named one; returns the names reverted, newest first. */
  const revertThrough = async (name: string): Promise<string[]> => {
    const reverted: string[] = [];
    for (;;) {
      const [last] = await db.dataSource.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
      await db.dataSource.undoLastMigration({ transaction: 'each' });
      reverted.push(last.name);
      if (last.name === name) return reverted;
    }
  };
  const newerThan = (name: string) => {
    const names = MIGRATIONS.map((m) => m.name);
    return names.slice(names.indexOf(name) + 1);
  };

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

  it('keeps the photos from before the photo store on disk, and will not revert while photos are in the database', async () => {
    await revertThrough('PhotoBlobs1764900000000');
    const [user] = await db.dataSource.query(
      `INSERT INTO users (email, username, display_name, role, password_hash) VALUES ('foto@test.serat.invalid', 'foto-lama', 'Foto', 'technician', 'x') RETURNING id`,
    );
    // Without a store the row is as the evidence migration made it.
    const insertPhoto = (id: string, store?: 'disk' | 'database') =>
      db.dataSource.query(
        `INSERT INTO photos (id, uploaded_by, content_type, size_bytes, sha256, width, height, storage_key, thumbnail_key${store ? ', store' : ''})
         VALUES ($1, $2, 'image/jpeg', 3, repeat('0', 64), 1, 1, $3, $4${store ? ', $5' : ''})`,
        [id, user.id, `2026/11/${id}.jpg`, `2026/11/${id}-thumb.webp`, ...(store ? [store] : [])],
      );
    await insertPhoto('00000000-0000-4000-8000-000000000001');
    expect(await migrateUp(db.dataSource)).toEqual(['PhotoBlobs1764900000000', ...newerThan('PhotoBlobs1764900000000')]);
    expect(await db.dataSource.query(`SELECT store FROM photos`)).toEqual([{ store: 'disk' }]);

    // New rows name their store; the bytes of a deleted photo go with it.
    const inDatabase = '00000000-0000-4000-8000-000000000002';
    await expect(insertPhoto(inDatabase)).rejects.toThrow(/null value in column "store"/);
    await insertPhoto(inDatabase, 'database');
    await db.dataSource.query(`INSERT INTO photo_blobs (key, photo_id, bytes) VALUES ($1, $2, $3)`, [`2026/11/${inDatabase}.jpg`, inDatabase, Buffer.from([0xff, 0xd8, 0xff])]);
    await expect(revertThrough('PhotoBlobs1764900000000')).rejects.toThrow(/1 photos have their bytes in photo_blobs/);
    await db.dataSource.query(`DELETE FROM photos WHERE id = $1`, [inDatabase]);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM photo_blobs`)).toEqual([{ n: 0 }]);
    await revertThrough('PhotoBlobs1764900000000');
    expect(await migrateUp(db.dataSource)).toEqual(['PhotoBlobs1764900000000', ...newerThan('PhotoBlobs1764900000000')]);
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
    await expect(db.dataSource.query(`UPDATE segments SET status = 'finished'`)).rejects.toThrow(/chk_segments_status/);
  });
});
