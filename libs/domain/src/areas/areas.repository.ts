import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MultiPolygon, Polygon } from 'geojson';
import { DataSource, EntityManager } from 'typeorm';
import type { AdminLevel } from '@serat/vocabulary';
import { NodesRepository } from '../network/nodes.repository';
import type { AreaFeature, AreaProperties } from '@serat/contract';
import { jsonObjectSql } from '../shared/answer-sql';
import { bboxParams, FeaturePage, PageQuery, toFeaturePage } from '../shared/geojson-page';
import { SitesRepository } from '../sites/sites.repository';
import { MEMBERSHIP_JOINS } from './area-membership';

export interface AdminAreaInput {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
  geometry: Polygon | MultiPolygon;
}

export interface AreaAtPoint {
  kabupatenCode: string | null;
  kecamatanCode: string | null;
  desaCode: string | null;
}

/** Tables whose points get their kabupaten, kecamatan and desa from the polygons. */
export type PointTable = 'sites' | 'nodes';

/** The properties of an area on the map (GET /api/areas), from `admin_areas a`. */
const AREA_PROPERTIES = jsonObjectSql<AreaProperties>({ code: 'a.code', name: 'a.name', level: 'a.level', parentCode: 'a.parent_code' });

@Injectable()
export class AreasRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly nodes: NodesRepository,
    private readonly sites: SitesRepository,
  ) {}

  async findFeatures(level: AdminLevel, query: PageQuery, parentCode?: string): Promise<FeaturePage<AreaFeature>> {
    const rows = await this.dataSource.query(
      `SELECT a.code AS cursor,
              json_build_object(
                'type', 'Feature',
                'id', a.code,
                'geometry', ST_AsGeoJSON(a.geom, 6)::json,
                'properties', ${AREA_PROPERTIES}
              ) AS feature
         FROM admin_areas a
        WHERE a.level = $1
          AND ($2::float8 IS NULL OR a.geom && ST_MakeEnvelope($2, $3, $4, $5, 4326))
          AND ($6::text IS NULL OR a.code > $6)
          AND ($7::text IS NULL OR a.parent_code = $7)
        ORDER BY a.code
        LIMIT $8`,
      [level, ...bboxParams(query.bbox), query.after ?? null, parentCode ?? null, query.limit + 1],
    );
    return toFeaturePage(rows, query.limit);
  }

  /** Inserts or corrects areas by code; a repeated run with the same data changes nothing. Parents first. */
  async upsertMany(areas: AdminAreaInput[], manager: EntityManager = this.dataSource.manager): Promise<number> {
    if (areas.length === 0) return 0;
    const rows = await manager.query(
      `WITH input AS (
         SELECT x.code, x.name, x.level, x.parent_code,
                ST_SetSRID(ST_GeomFromGeoJSON(x.geometry::text), 4326) AS raw
           FROM json_to_recordset($1::json) AS x(code text, name text, level text, parent_code text, geometry json)
       ), fixed AS (
         SELECT code, name, level, parent_code,
                ST_Multi(CASE WHEN ST_IsValid(raw) THEN raw ELSE ST_CollectionExtract(ST_MakeValid(raw), 3) END) AS geom
           FROM input
       ), written AS (
         INSERT INTO admin_areas AS t (code, name, level, parent_code, geom)
         SELECT code, name, level, parent_code, geom FROM fixed
         ON CONFLICT (code) DO UPDATE
            SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code,
                geom = EXCLUDED.geom, updated_at = now()
          WHERE t.name IS DISTINCT FROM EXCLUDED.name
             OR t.level IS DISTINCT FROM EXCLUDED.level
             OR t.parent_code IS DISTINCT FROM EXCLUDED.parent_code
             OR NOT ST_Equals(t.geom, EXCLUDED.geom)
         RETURNING code, level, geom
       ), old_parts AS (
         DELETE FROM admin_area_parts WHERE area_code IN (SELECT code FROM written) RETURNING 1
       ), new_parts AS (
         -- The pieces the point and crossing queries use, cut again from the new boundary.
         INSERT INTO admin_area_parts (area_code, level, geom)
         SELECT code, level, ST_Subdivide(geom, 128) FROM written
         RETURNING 1
       )
       SELECT (SELECT count(*)::int FROM written) AS count, (SELECT count(*) FROM old_parts) AS removed, (SELECT count(*) FROM new_parts) AS added`,
      [JSON.stringify(areas.map((a) => ({ code: a.code, name: a.name, level: a.level, parent_code: a.parentCode, geometry: a.geometry })))],
    );
    return rows[0].count;
  }

  /** An area and every area under it (by code), parents first, polygons at 7 decimals. */
  async findTree(code: string, manager: EntityManager = this.dataSource.manager): Promise<AdminAreaInput[]> {
    return manager.query(
      `SELECT code, name, level, parent_code AS "parentCode", ST_AsGeoJSON(geom, 7)::json AS geometry
         FROM admin_areas WHERE code = $1 OR starts_with(code, $1 || '.') ORDER BY code`,
      [code],
    );
  }

  /** The areas a point falls in (covering, else nearest within AREA_SNAP_TOLERANCE_M). */
  async areaAt(lon: number, lat: number): Promise<AreaAtPoint> {
    const [row] = await this.dataSource.query(
      `SELECT m_kab.code AS kabupaten_code, m_kec.code AS kecamatan_code, m_desa.code AS desa_code
         FROM (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS location) t ${MEMBERSHIP_JOINS}`,
      [lon, lat],
    );
    return { kabupatenCode: row.kabupaten_code, kecamatanCode: row.kecamatan_code, desaCode: row.desa_code };
  }

  /**
   * Recomputes the kabupaten/kecamatan/desa of the points in a table from the polygons:
   * all of them, or only the given ids. Returns how many rows changed. The rows are written by
   * their own repository (NodesRepository, SitesRepository); this picks it by the table's name,
   * as the maintenance job and the seed give it.
   */
  assignMembership(table: PointTable, ids: string[] | null, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return table === 'sites' ? this.sites.assignAreas(ids, manager) : this.nodes.assignAreas(ids, manager);
  }

  async countByLevel(): Promise<Record<AdminLevel, number>> {
    const rows: { level: AdminLevel; count: number }[] = await this.dataSource.query(`SELECT level, count(*)::int AS count FROM admin_areas GROUP BY level`);
    const counts = { kabupaten: 0, kecamatan: 0, desa: 0 };
    for (const row of rows) counts[row.level] = row.count;
    return counts;
  }

  /** True when no admin area exists yet: a fresh database, before the first seed. */
  async isEmpty(): Promise<boolean> {
    const [row]: { empty: boolean }[] = await this.dataSource.query(`SELECT NOT EXISTS (SELECT 1 FROM admin_areas) AS empty`);
    return row.empty;
  }
}
