import { AreasRepository, ConnectivityRepository, NodesRepository, SitesRepository } from '@serat/domain';
import { useTestDatabase } from '../../../../test/support/databases';

// Reference points from the shipped boundary data (libs/demo/seed/kotim).
const BAAMANG = '62.02.05';
const MENTAWA_BARU_KETAPANG = '62.02.06';

describe('AreasRepository on PostGIS', () => {
  const db = useTestDatabase({ seeded: true });
  let areas: AreasRepository;

  beforeAll(() => {
    areas = new AreasRepository(db.dataSource, new NodesRepository(db.dataSource), new SitesRepository(db.dataSource, new ConnectivityRepository(db.dataSource)));
  });

  it('holds the real Kotim hierarchy: 1 kabupaten, 17 kecamatan, 185 desa/kelurahan', async () => {
    expect(await areas.countByLevel()).toEqual({ kabupaten: 1, kecamatan: 17, desa: 185 });
    const orphans = await db.dataSource.query(
      `SELECT d.code FROM admin_areas d LEFT JOIN admin_areas k ON k.code = d.parent_code
        WHERE d.level = 'desa' AND (k.level IS DISTINCT FROM 'kecamatan' OR left(d.code, 8) <> k.code)`,
    );
    expect(orphans).toEqual([]);
  });

  it('returns kecamatan as GeoJSON features with the Kemendagri code as id', async () => {
    const page = await areas.findFeatures('kecamatan', { limit: 100 });
    expect(page.features).toHaveLength(17);
    expect(page.nextCursor).toBeNull();
    const baamang = page.features.find((f) => f.id === BAAMANG)!;
    expect(baamang.properties).toEqual({ code: BAAMANG, name: 'Baamang', level: 'kecamatan', parentCode: '62.02' });
    expect(['Polygon', 'MultiPolygon']).toContain(baamang.geometry.type);
  });

  it('filters by bbox: a box around Sampit finds the town kecamatan and not the far north', async () => {
    const page = await areas.findFeatures('kecamatan', { limit: 100, bbox: [112.94, -2.55, 112.97, -2.52] });
    const codes = page.features.map((f) => f.id);
    expect(codes).toEqual(expect.arrayContaining([BAAMANG, MENTAWA_BARU_KETAPANG]));
    expect(codes).not.toContain('62.02.10'); // Antang Kalang, around lat -1.4
    const nothing = await areas.findFeatures('desa', { limit: 100, bbox: [100, 10, 101, 11] });
    expect(nothing.features).toEqual([]);
  });

  it('pages with a keyset cursor: every desa once, in code order', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await areas.findFeatures('desa', { limit: 50, after });
      seen.push(...page.features.map((f) => String(f.id)));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen).toHaveLength(185);
    expect(new Set(seen).size).toBe(185);
    expect([...seen].sort()).toEqual(seen);
  });

  it('finds the areas a point falls in (point in polygon)', async () => {
    // A point in the interior of each desa (PostGIS picks it), then asked back by coordinates.
    const samples = await db.dataSource.query(
      `SELECT code, parent_code, ST_X(p) AS lon, ST_Y(p) AS lat
         FROM (SELECT code, parent_code, ST_PointOnSurface(geom) AS p FROM admin_areas WHERE level = 'desa' ORDER BY code LIMIT 25) s`,
    );
    for (const sample of samples) {
      const at = await areas.areaAt(sample.lon, sample.lat);
      expect(at).toEqual({ kabupatenCode: '62.02', kecamatanCode: sample.parent_code, desaCode: sample.code });
    }
  });

  it('puts a point just outside the boundary in the nearest area, and one far away in none', async () => {
    // 0.003° (about 330 m) west of the westernmost vertex of the kabupaten.
    const [west] = await db.dataSource.query(
      `SELECT ST_X(p) - 0.003 AS lon, ST_Y(p) AS lat
         FROM (SELECT (ST_DumpPoints(geom)).geom AS p FROM admin_areas WHERE level = 'kabupaten') d ORDER BY ST_X(p) LIMIT 1`,
    );
    const near = await areas.areaAt(west.lon, west.lat);
    expect(near.kabupatenCode).toBe('62.02');
    expect(near.kecamatanCode).not.toBeNull();
    expect(await areas.areaAt(106.8, -6.2)).toEqual({ kabupatenCode: null, kecamatanCode: null, desaCode: null });
  });

  it('recomputes the membership of moved points from the polygons', async () => {
    const [site] = await db.dataSource.query(`SELECT id, kecamatan_code FROM sites WHERE code = 'KEC-62.02.01'`);
    expect(site.kecamatan_code).toBe('62.02.01');
    // Move the kantor to a point inside Baamang; its codes must follow.
    await db.dataSource.query(`UPDATE sites SET location = (SELECT ST_PointOnSurface(geom) FROM admin_areas WHERE code = $1) WHERE id = $2`, [BAAMANG, site.id]);
    expect(await areas.assignMembership('sites', [site.id])).toBe(1);
    const [moved] = await db.dataSource.query(`SELECT kecamatan_code, desa_code FROM sites WHERE id = $1`, [site.id]);
    expect(moved.kecamatan_code).toBe(BAAMANG);
    expect(moved.desa_code.startsWith(`${BAAMANG}.`)).toBe(true);
    expect(await areas.assignMembership('sites', null)).toBe(0); // nothing else is out of date
  });
});
