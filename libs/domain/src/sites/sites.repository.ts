import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Point } from 'geojson';
import { DataSource, EntityManager } from 'typeorm';
import { POINT_DIGITS, SITE_TILE_GROUPS, TILE_BUDGET, type SiteFeature, type SiteProperties, type TileLayer } from '@serat/contract';
import type { SiteKind } from '@serat/vocabulary';
import { ASSIGN_COMPUTED_AREAS, pointAreasSql } from '../areas/area-membership';
import { ConnectivityRepository } from '../network/connectivity.repository';
import { jsonObjectSql } from '../shared/answer-sql';
import { bboxParams, FeaturePage, PageQuery, toFeaturePage } from '../shared/geojson-page';
import { ENVELOPE, readTileLayer, TileWindow } from '../shared/tile-window';
import type { LonLat } from '../shared/lon-lat';

/**
 * A site as the domain knows it: a row of `sites` (without its timestamps), its position a
 * GeoJSON Point in WGS84. Every other shape of a site is cut from this one; whether it is
 * connected is derived (ConnectivityRepository), never stored.
 */
export interface SiteRecord {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  kind: SiteKind;
  phaseId: string | null;
  /** The node the network reaches it at. */
  terminationNodeId: string | null;
  /** The commercial ISP bill before fiber, Rupiah a month. */
  costIdrPerMonth: number | null;
  /** From the boundaries, never typed by hand. */
  kabupatenCode: string | null;
  kecamatanCode: string | null;
  desaCode: string | null;
  isDemo: boolean;
  version: number;
  geometry: Point;
}

/** A site of the seed: its phase and termination node by code. */
export type NewSite = Pick<SiteRecord, 'code' | 'name' | 'shortName' | 'kind' | 'costIdrPerMonth' | 'isDemo'> &
  LonLat & {
    phaseCode: string | null;
    terminationNodeCode: string | null;
  };

/** A site as editing reads it (GET /api/sites/:id, the current row of a 409). */
export type SiteRow = Omit<SiteRecord, 'kabupatenCode' | 'isDemo'>;

/** What an edit may set of a site (the position when both lon and lat are given). */
export type SiteFields = Partial<Pick<SiteRecord, 'code' | 'name' | 'shortName' | 'kind' | 'phaseId' | 'terminationNodeId' | 'costIdrPerMonth'> & LonLat>;

/** The properties of a site on the map (GET /api/sites), from `sites s` with its phase `p`, kecamatan `kec` and desa `desa`. */
const SITE_PROPERTIES = jsonObjectSql<SiteProperties>({
  id: 's.id',
  code: 's.code',
  name: 's.name',
  shortName: 's.short_name',
  kind: 's.kind',
  phaseId: 's.phase_id',
  phaseName: 'p.name',
  costIdrPerMonth: 's.cost_idr_per_month',
  kabupatenCode: 's.kabupaten_code',
  kecamatanCode: 's.kecamatan_code',
  kecamatanName: 'kec.name',
  desaCode: 's.desa_code',
  desaName: 'desa.name',
  isDemo: 's.is_demo',
  terminationNodeId: 's.termination_node_id',
  connected: 'EXISTS (SELECT 1 FROM connected_nodes c WHERE c.node_id = s.termination_node_id)',
  version: 's.version',
});

const POINT = (lonParam: string, latParam: string) => `ST_SetSRID(ST_MakePoint(${lonParam}, ${latParam}), 4326)`;

/** The one writer of sites: one by one for editing, set-based for the seed. */
@Injectable()
export class SitesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connectivity: ConnectivityRepository,
  ) {}

  async findFeatures(query: PageQuery): Promise<FeaturePage<SiteFeature>> {
    await this.connectivity.refresh();
    const rows = await this.dataSource.query(
      `SELECT s.code AS cursor,
              json_build_object(
                'type', 'Feature',
                'id', s.id,
                'geometry', ST_AsGeoJSON(s.location, 7)::json,
                'properties', ${SITE_PROPERTIES}
              ) AS feature
         FROM sites s
         LEFT JOIN phases p ON p.id = s.phase_id
         LEFT JOIN admin_areas kec ON kec.code = s.kecamatan_code
         LEFT JOIN admin_areas desa ON desa.code = s.desa_code
        WHERE ($1::float8 IS NULL OR s.location && ST_MakeEnvelope($1, $2, $3, $4, 4326))
          AND ($5::text IS NULL OR s.code > $5)
        ORDER BY s.code
        LIMIT $6`,
      [...bboxParams(query.bbox), query.after ?? null, query.limit + 1],
    );
    return toFeaturePage(rows, query.limit);
  }

  /**
   * The sites of one map tile (GET /api/map/tiles): the kinds that fit its budget
   * (SITE_TILE_GROUPS: SOPD and kantor kecamatan first), whether each is connected now.
   */
  async findInTile(window: TileWindow): Promise<TileLayer<SiteFeature>> {
    await this.connectivity.refresh();
    return readTileLayer<SiteFeature>((sql, parameters) => this.dataSource.query(sql, parameters), window, {
      groups: SITE_TILE_GROUPS,
      budget: TILE_BUDGET.sites,
      from: (kinds) => `FROM sites s
         LEFT JOIN phases p ON p.id = s.phase_id
         LEFT JOIN admin_areas kec ON kec.code = s.kecamatan_code
         LEFT JOIN admin_areas desa ON desa.code = s.desa_code
        WHERE s.kind IN (${kinds}) AND s.location && ${ENVELOPE}`,
      feature: `json_build_object(
                  'type', 'Feature',
                  'id', s.id,
                  'geometry', ST_AsGeoJSON(s.location, ${POINT_DIGITS})::json,
                  'properties', ${SITE_PROPERTIES}
                )`,
      order: { full: 's.code', cut: `array_position(ARRAY['sopd', 'kantor_kecamatan']::text[], s.kind::text), s.code` },
    });
  }

  /** One site as editing reads it (with its version, optionally locked), inside the caller's transaction. */
  async find(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<SiteRow | null> {
    const [row] = await manager.query(
      `SELECT s.id, s.code, s.name, s.short_name AS "shortName", s.kind, s.phase_id AS "phaseId", s.termination_node_id AS "terminationNodeId",
              s.cost_idr_per_month::float8 AS "costIdrPerMonth", s.kecamatan_code AS "kecamatanCode", s.desa_code AS "desaCode", s.version,
              ST_AsGeoJSON(s.location, 7)::json AS geometry
         FROM sites s WHERE s.id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row ?? null;
  }

  /** The codes of the sites that are connected now. */
  async connectedCodes(): Promise<string[]> {
    await this.connectivity.refresh();
    const rows: { code: string }[] = await this.dataSource.query(`SELECT s.code FROM sites s JOIN connected_nodes c ON c.node_id = s.termination_node_id ORDER BY s.code`);
    return rows.map((row) => row.code);
  }

  /** Inserts sites that do not exist yet (by code); existing sites are left as they are. */
  async insertMissing(sites: NewSite[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    if (sites.length === 0) return [];
    const input = sites.map((s) => ({
      code: s.code,
      name: s.name,
      short_name: s.shortName,
      kind: s.kind,
      lon: s.lon,
      lat: s.lat,
      phase_code: s.phaseCode,
      termination_code: s.terminationNodeCode,
      cost: s.costIdrPerMonth,
      is_demo: s.isDemo,
    }));
    const rows: { id: string }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO sites (code, name, short_name, kind, location, phase_id, termination_node_id, cost_idr_per_month, is_demo)
         SELECT x.code, x.name, x.short_name, x.kind, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326),
                p.id, n.id, x.cost, x.is_demo
           FROM json_to_recordset($1::json) AS x(code text, name text, short_name text, kind text, lon float8,
                lat float8, phase_code text, termination_code text, cost bigint, is_demo boolean)
           LEFT JOIN phases p ON p.code = x.phase_code
           LEFT JOIN nodes n ON n.code = x.termination_code
         ON CONFLICT (code) DO NOTHING
         RETURNING id
       )
       SELECT id FROM inserted`,
      [JSON.stringify(input)],
    );
    return rows.map((row) => row.id);
  }

  /** Deletes the sites whose code starts so (a generated network); returns how many. */
  async deleteByCodePrefix(prefix: string, manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`WITH d AS (DELETE FROM sites WHERE starts_with(code, $1) RETURNING 1) SELECT count(*)::int AS n FROM d`, [prefix]);
    return row.n;
  }

  /** How many sites are connected now (of those whose code starts so, when given). */
  async countConnected(prefix: string | null = null): Promise<number> {
    await this.connectivity.refresh();
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM sites s JOIN connected_nodes c ON c.node_id = s.termination_node_id WHERE $1::text IS NULL OR starts_with(s.code, $1)`,
      [prefix],
    );
    return row.n;
  }

  /** Inserts a site; null when the code is taken. */
  async insert(site: Required<SiteFields>, manager: EntityManager): Promise<string | null> {
    const [row] = await manager.query(
      `INSERT INTO sites (code, name, short_name, kind, location, phase_id, termination_node_id, cost_idr_per_month)
       VALUES ($1, $2, $3, $4, ${POINT('$5', '$6')}, $7, $8, $9) ON CONFLICT (code) DO NOTHING RETURNING id`,
      [site.code, site.name, site.shortName, site.kind, site.lon, site.lat, site.phaseId, site.terminationNodeId, site.costIdrPerMonth],
    );
    return row?.id ?? null;
  }

  /**
   * Puts the rows of these codes in the phase, or (`phaseId` null) takes those of phase `from` out
   * of it; moves their versions on (an open edit form then sees the change). Returns the codes
   * found and how many rows moved.
   */
  async movePhase(codes: string[], phaseId: string | null, from: string | null, manager: EntityManager): Promise<{ found: string[]; moved: number }> {
    const found: { code: string }[] = await manager.query(`SELECT code FROM sites WHERE code = ANY($1::text[])`, [codes]);
    const [row] = await manager.query(
      `WITH moved AS (UPDATE sites SET phase_id = $2, version = version + 1, updated_at = now()
                       WHERE code = ANY($1::text[]) AND ($3::uuid IS NULL OR phase_id = $3) AND phase_id IS DISTINCT FROM $2 RETURNING 1)
       SELECT count(*)::int AS n FROM moved`,
      [codes, phaseId, from],
    );
    return { found: found.map((r) => r.code), moved: row.n };
  }

  /** Sets the fields given (and only those; the position when both lon and lat are), with one version step. */
  async update(id: string, fields: SiteFields, manager: EntityManager): Promise<void> {
    const column: Record<string, string> = {
      code: 'code',
      name: 'name',
      shortName: 'short_name',
      kind: 'kind',
      phaseId: 'phase_id',
      terminationNodeId: 'termination_node_id',
      costIdrPerMonth: 'cost_idr_per_month',
    };
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, value] of Object.entries(fields)) {
      if (!column[key]) continue;
      params.push(value);
      sets.push(`${column[key]} = $${params.length}`);
    }
    if (fields.lon !== undefined && fields.lat !== undefined) {
      params.push(fields.lon, fields.lat);
      sets.push(`location = ${POINT(`$${params.length - 1}`, `$${params.length}`)}`);
    }
    await manager.query(`WITH u AS (UPDATE sites SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING id) SELECT id FROM u`, params);
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`WITH d AS (DELETE FROM sites WHERE id = $1 RETURNING id) SELECT id FROM d`, [id]);
  }

  /**
   * Recomputes the kabupaten/kecamatan/desa of sites from the polygons: all of them (ids null), or
   * only the given ones. Returns how many rows changed.
   */
  async assignAreas(ids: string[] | null, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = await manager.query(
      `WITH computed AS (${pointAreasSql('sites')}),
       updated AS (
         UPDATE sites t ${ASSIGN_COMPUTED_AREAS}
       )
       SELECT count(*)::int AS count FROM updated`,
      [ids],
    );
    return rows[0].count;
  }

  /** True when any site is demo data: the app then says so on the map. */
  async hasDemoData(): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM sites WHERE is_demo) AS demo`);
    return row.demo;
  }

  async count(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS count FROM sites`);
    return row.count;
  }
}
