import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AdminLevel } from '@serat/vocabulary';
import { DataSource, EntityManager } from 'typeorm';
import type { NodeRecord } from './nodes.repository';
import type { SegmentRecord } from './segments.repository';

/** A node as editing reads it (GET /api/nodes/:id, the current row of a 409). */
export type NodeRow = Pick<NodeRecord, 'id' | 'code' | 'name' | 'kind' | 'status' | 'owner' | 'version' | 'geometry'>;

/** A segment as editing reads it (GET /api/segments/:id, the current row of a 409). */
export type SegmentRow = Omit<SegmentRecord, 'externalRef'>;

/** A kecamatan or desa a segment crosses, with the metres inside it. */
export interface SegmentArea {
  code: string;
  name: string;
  level: Exclude<AdminLevel, 'kabupaten'>;
  lengthM: number;
}

const NODE_COLUMNS = `n.id, n.code, n.name, n.kind, n.status, n.owner, n.version, ST_AsGeoJSON(n.location, 7)::json AS geometry`;
const SEGMENT_COLUMNS = `s.id, s.code, s.from_node_id AS "fromNodeId", s.to_node_id AS "toNodeId", ST_AsGeoJSON(s.geom, 7)::json AS geometry,
  s.length_m AS "lengthM", s.placement, s.tier, s.cable_type AS "cableType", s.core_count AS "coreCount", s.status,
  s.phase_id AS "phaseId", s.contractor, s.slack_m AS "slackM", s.version`;

const POINT = (lonParam: string, latParam: string) => `ST_SetSRID(ST_MakePoint(${lonParam}, ${latParam}), 4326)`;

/**
 * Nodes and segments one by one as editing reads them (with their versions, optionally locked),
 * inside the caller's transaction. Their rows are written by their own repositories
 * (NodesRepository, SegmentsRepository).
 */
@Injectable()
export class NetworkEditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findNode(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<NodeRow | null> {
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

  async segmentsAtNode(nodeId: string, manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`SELECT count(*)::int AS n FROM segments WHERE $1 IN (from_node_id, to_node_id)`, [nodeId]);
    return row.n;
  }

  async findSegment(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<SegmentRow | null> {
    const [row] = await manager.query(`SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE s.id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  async segmentAreas(id: string, manager: EntityManager = this.dataSource.manager): Promise<SegmentArea[]> {
    return manager.query(
      `SELECT a.code, a.name, sa.level, round(sa.length_m::numeric, 1)::float8 AS "lengthM"
         FROM segment_areas sa JOIN admin_areas a ON a.code = sa.area_code
        WHERE sa.segment_id = $1 ORDER BY sa.level, sa.length_m DESC`,
      [id],
    );
  }
}
