import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LineString, Point, Position } from 'geojson';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../shared/transaction';

export interface NodeRow {
  id: string;
  code: string;
  name: string | null;
  kind: string;
  status: string;
  owner: string | null;
  version: number;
  geometry: Point;
}

export interface SegmentRow {
  id: string;
  code: string;
  fromNodeId: string;
  toNodeId: string;
  geometry: LineString;
  lengthM: number;
  placement: string;
  tier: string;
  cableType: string | null;
  coreCount: number | null;
  status: string;
  phaseId: string | null;
  contractor: string | null;
  slackM: number | null;
  version: number;
}

export interface SiteRow {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
  phaseId: string | null;
  terminationNodeId: string | null;
  costIdrPerMonth: number | null;
  kecamatanCode: string | null;
  desaCode: string | null;
  version: number;
  geometry: Point;
}

export type SiteFields = Partial<Pick<SiteRow, 'code' | 'name' | 'shortName' | 'kind' | 'phaseId' | 'terminationNodeId' | 'costIdrPerMonth'>> & { lon?: number; lat?: number };

export type SegmentFields = Pick<SegmentRow, 'placement' | 'tier' | 'cableType' | 'coreCount' | 'phaseId' | 'contractor' | 'slackM'>;

const NODE_COLUMNS = `n.id, n.code, n.name, n.kind, n.status, n.owner, n.version, ST_AsGeoJSON(n.location, 7)::json AS geometry`;
const SEGMENT_COLUMNS = `s.id, s.code, s.from_node_id AS "fromNodeId", s.to_node_id AS "toNodeId", ST_AsGeoJSON(s.geom, 7)::json AS geometry,
  s.length_m AS "lengthM", s.placement, s.tier, s.cable_type AS "cableType", s.core_count AS "coreCount", s.status,
  s.phase_id AS "phaseId", s.contractor, s.slack_m AS "slackM", s.version`;

const POINT = (lonParam: string, latParam: string) => `ST_SetSRID(ST_MakePoint(${lonParam}, ${latParam}), 4326)`;

/**
 * The SQL of editing the network: nodes and segments one by one, inside the caller's
 * transaction. Statements that change rows are wrapped in a CTE so the driver returns rows.
 */
@Injectable()
export class NetworkEditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  async findNode(id: string, manager: EntityManager, lock = false): Promise<NodeRow | null> {
    const [row] = await manager.query(`SELECT ${NODE_COLUMNS} FROM nodes n WHERE n.id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  /** The node nearest to a position within a distance in metres (geodesic), or null. */
  async nearestNode(lon: number, lat: number, withinM: number, manager: EntityManager): Promise<(NodeRow & { distanceM: number }) | null> {
    const [row] = await manager.query(
      `SELECT ${NODE_COLUMNS}, ST_Distance(n.location::geography, ${POINT('$1', '$2')}::geography) AS "distanceM"
         FROM nodes n
        -- The box (degrees; 1° of longitude is at least 50 km below 63° latitude) lets the GiST index answer first.
        WHERE n.location && ST_Expand(${POINT('$1', '$2')}, $3 / 50000.0)
          AND ST_DWithin(n.location::geography, ${POINT('$1', '$2')}::geography, $3)
        ORDER BY n.location <-> ${POINT('$1', '$2')}
        LIMIT 1`,
      [lon, lat, withinM],
    );
    return row ?? null;
  }

  /** Inserts a node; null when the code is taken. */
  async insertNode(node: { code: string; name: string | null; kind: string; status: string; owner: string | null; lon: number; lat: number }, manager: EntityManager): Promise<string | null> {
    const [row] = await manager.query(
      `INSERT INTO nodes (code, name, kind, status, owner, location) VALUES ($1, $2, $3, $4, $5, ${POINT('$6', '$7')})
       ON CONFLICT (code) DO NOTHING RETURNING id`,
      [node.code, node.name, node.kind, node.status, node.owner, node.lon, node.lat],
    );
    return row?.id ?? null;
  }

  /**
   * The node nearest a position within the tolerance, else a new one there. A new node whose code
   * is taken gets a suffix derived from its position, so the same input always makes the same code.
   */
  async nodeAtOrNew(
    position: Position,
    toleranceM: number,
    node: { code: string; kind: string; status: string },
    manager: EntityManager,
  ): Promise<{ node: NodeRow; created: boolean }> {
    const [lon, lat] = position;
    const near = await this.nearestNode(lon, lat, toleranceM, manager);
    if (near) return { node: near, created: false };
    const fields = { name: null, kind: node.kind, status: node.status, owner: null, lon, lat };
    const suffix = createHash('sha1').update(`${lon},${lat}`).digest('hex').slice(0, 6);
    const id = (await this.insertNode({ ...fields, code: node.code }, manager)) ?? (await this.insertNode({ ...fields, code: `${node.code}-${suffix}` }, manager));
    if (!id) throw new Error(`node codes ${node.code} and ${node.code}-${suffix} are both taken`);
    return { node: (await this.findNode(id, manager))!, created: true };
  }

  async updateNode(id: string, fields: { code?: string; name?: string | null; kind?: string; owner?: string | null; lon?: number; lat?: number }, manager: EntityManager): Promise<void> {
    await manager.query(
      `WITH u AS (
         UPDATE nodes SET
           code = coalesce($2, code),
           name = CASE WHEN $3::boolean THEN $4 ELSE name END,
           kind = coalesce($5, kind),
           owner = CASE WHEN $6::boolean THEN $7 ELSE owner END,
           location = CASE WHEN $8::float8 IS NULL THEN location ELSE ${POINT('$8', '$9')} END,
           version = version + 1, updated_at = now()
         WHERE id = $1 RETURNING id)
       SELECT id FROM u`,
      [id, fields.code ?? null, 'name' in fields, fields.name ?? null, fields.kind ?? null, 'owner' in fields, fields.owner ?? null, fields.lon ?? null, fields.lat ?? null],
    );
  }

  /** Moves the ends of every segment that starts or ends at the node to its new position. */
  async followNode(nodeId: string, manager: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `WITH n AS (SELECT id, location FROM nodes WHERE id = $1),
       moved AS (
         UPDATE segments s SET
           geom = CASE WHEN s.from_node_id = n.id AND s.to_node_id = n.id THEN s.geom
                       WHEN s.from_node_id = n.id THEN ST_SetPoint(s.geom, 0, n.location)
                       ELSE ST_SetPoint(s.geom, ST_NPoints(s.geom) - 1, n.location) END,
           version = s.version + 1, updated_at = now()
         FROM n WHERE n.id IN (s.from_node_id, s.to_node_id)
         RETURNING s.id)
       SELECT id FROM moved`,
      [nodeId],
    );
    return rows.map((r) => r.id);
  }

  async segmentsAtNode(nodeId: string, manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`SELECT count(*)::int AS n FROM segments WHERE $1 IN (from_node_id, to_node_id)`, [nodeId]);
    return row.n;
  }

  async deleteNode(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`WITH d AS (DELETE FROM nodes WHERE id = $1 RETURNING id) SELECT id FROM d`, [id]);
  }

  async findSegment(id: string, manager: EntityManager, lock = false): Promise<SegmentRow | null> {
    const [row] = await manager.query(`SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE s.id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  async insertSegment(
    segment: SegmentFields & { code: string; fromNodeId: string; toNodeId: string; geometry: LineString; status: string },
    manager: EntityManager,
  ): Promise<string | null> {
    const [row] = await manager.query(
      `INSERT INTO segments (code, from_node_id, to_node_id, geom, placement, tier, cable_type, core_count, status, phase_id, contractor, slack_m)
       VALUES ($1, $2, $3, ST_SetSRID(ST_GeomFromGeoJSON($4), 4326), $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (code) DO NOTHING RETURNING id`,
      [segment.code, segment.fromNodeId, segment.toNodeId, JSON.stringify(segment.geometry), segment.placement, segment.tier, segment.cableType, segment.coreCount, segment.status, segment.phaseId, segment.contractor, segment.slackM],
    );
    return row?.id ?? null;
  }

  async updateSegment(
    id: string,
    fields: Partial<SegmentFields> & { code?: string; geometry?: LineString; fromNodeId?: string; toNodeId?: string },
    manager: EntityManager,
  ): Promise<void> {
    const keys = Object.keys(fields) as (keyof typeof fields)[];
    const column: Record<string, string> = {
      code: 'code', fromNodeId: 'from_node_id', toNodeId: 'to_node_id', placement: 'placement', tier: 'tier', cableType: 'cable_type',
      coreCount: 'core_count', phaseId: 'phase_id', contractor: 'contractor', slackM: 'slack_m',
    };
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const key of keys) {
      if (key === 'geometry') {
        params.push(JSON.stringify(fields.geometry));
        sets.push(`geom = ST_SetSRID(ST_GeomFromGeoJSON($${params.length}), 4326)`);
      } else if (column[key]) {
        params.push(fields[key]);
        sets.push(`${column[key]} = $${params.length}`);
      }
    }
    await manager.query(
      `WITH u AS (UPDATE segments SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING id) SELECT id FROM u`,
      params,
    );
  }

  async deleteSegment(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`WITH d AS (DELETE FROM segments WHERE id = $1 RETURNING id) SELECT id FROM d`, [id]);
  }

  async findSite(id: string, manager: EntityManager, lock = false): Promise<SiteRow | null> {
    const [row] = await manager.query(
      `SELECT s.id, s.code, s.name, s.short_name AS "shortName", s.kind, s.phase_id AS "phaseId", s.termination_node_id AS "terminationNodeId",
              s.cost_idr_per_month::float8 AS "costIdrPerMonth", s.kecamatan_code AS "kecamatanCode", s.desa_code AS "desaCode", s.version,
              ST_AsGeoJSON(s.location, 7)::json AS geometry
         FROM sites s WHERE s.id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row ?? null;
  }

  /** Inserts a site; null when the code is taken. */
  async insertSite(site: Required<Omit<SiteFields, 'lon' | 'lat'>> & { lon: number; lat: number }, manager: EntityManager): Promise<string | null> {
    const [row] = await manager.query(
      `INSERT INTO sites (code, name, short_name, kind, location, phase_id, termination_node_id, cost_idr_per_month)
       VALUES ($1, $2, $3, $4, ${POINT('$5', '$6')}, $7, $8, $9) ON CONFLICT (code) DO NOTHING RETURNING id`,
      [site.code, site.name, site.shortName, site.kind, site.lon, site.lat, site.phaseId, site.terminationNodeId, site.costIdrPerMonth],
    );
    return row?.id ?? null;
  }

  async updateSite(id: string, fields: SiteFields, manager: EntityManager): Promise<void> {
    const column: Record<string, string> = { code: 'code', name: 'name', shortName: 'short_name', kind: 'kind', phaseId: 'phase_id', terminationNodeId: 'termination_node_id', costIdrPerMonth: 'cost_idr_per_month' };
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

  async deleteSite(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`WITH d AS (DELETE FROM sites WHERE id = $1 RETURNING id) SELECT id FROM d`, [id]);
  }

  /** Recomputes the kecamatan and desa a segment crosses and the metres inside each. */
  async recomputeSegmentAreas(ids: string[], manager: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`WITH d AS (DELETE FROM segment_areas WHERE segment_id = ANY($1::uuid[]) RETURNING 1) SELECT count(*) FROM d`, [ids]);
    // Against the subdivided pieces (admin_area_parts): small polygons, summed per area.
    await manager.query(
      `INSERT INTO segment_areas (segment_id, area_code, level, length_m)
       SELECT s.id, p.area_code, p.level, sum(ST_Length(ST_Intersection(s.geom, p.geom)::geography, false))
         FROM segments s JOIN admin_area_parts p ON p.level IN ('kecamatan', 'desa') AND ST_Intersects(s.geom, p.geom)
        WHERE s.id = ANY($1::uuid[])
        GROUP BY s.id, p.area_code, p.level`,
      [ids],
    );
  }

  async segmentAreas(id: string, manager: EntityManager = this.dataSource.manager): Promise<{ code: string; name: string; level: string; lengthM: number }[]> {
    return manager.query(
      `SELECT a.code, a.name, sa.level, round(sa.length_m::numeric, 1)::float8 AS "lengthM"
         FROM segment_areas sa JOIN admin_areas a ON a.code = sa.area_code
        WHERE sa.segment_id = $1 ORDER BY sa.level, sa.length_m DESC`,
      [id],
    );
  }

  /** Gives the new half of a split segment the history of the original, in order. */
  async copyHistory(fromSegmentId: string, toSegmentId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO status_changes (segment_id, from_status, to_status, changed_at, device_time, changed_by, changed_by_user_id, note)
       SELECT $2, from_status, to_status, changed_at, device_time, changed_by, changed_by_user_id, note
         FROM status_changes WHERE segment_id = $1 ORDER BY id`,
      [fromSegmentId, toSegmentId],
    );
  }
}
