import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LineString, Point } from 'geojson';
import { DataSource, EntityManager } from 'typeorm';
import type { NetworkStatus, NodeKind, NodeOwner, SegmentPlacement, SegmentTier, SiteKind } from './network-vocabulary';

export interface NodeRow {
  id: string;
  code: string;
  name: string | null;
  kind: NodeKind;
  status: NetworkStatus;
  owner: NodeOwner | null;
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
  placement: SegmentPlacement;
  tier: SegmentTier;
  cableType: string | null;
  coreCount: number | null;
  status: NetworkStatus;
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
  kind: SiteKind;
  phaseId: string | null;
  terminationNodeId: string | null;
  costIdrPerMonth: number | null;
  kecamatanCode: string | null;
  desaCode: string | null;
  version: number;
  geometry: Point;
}

export type SiteFields = Partial<Pick<SiteRow, 'code' | 'name' | 'shortName' | 'kind' | 'phaseId' | 'terminationNodeId' | 'costIdrPerMonth'>> & { lon?: number; lat?: number };

/** A kecamatan or desa a segment crosses, with the metres inside it. */
export interface SegmentArea {
  code: string;
  name: string;
  level: string;
  lengthM: number;
}

export type SegmentFields = Pick<SegmentRow, 'placement' | 'tier' | 'cableType' | 'coreCount' | 'phaseId' | 'contractor' | 'slackM'>;

const NODE_COLUMNS = `n.id, n.code, n.name, n.kind, n.status, n.owner, n.version, ST_AsGeoJSON(n.location, 7)::json AS geometry`;
const SEGMENT_COLUMNS = `s.id, s.code, s.from_node_id AS "fromNodeId", s.to_node_id AS "toNodeId", ST_AsGeoJSON(s.geom, 7)::json AS geometry,
  s.length_m AS "lengthM", s.placement, s.tier, s.cable_type AS "cableType", s.core_count AS "coreCount", s.status,
  s.phase_id AS "phaseId", s.contractor, s.slack_m AS "slackM", s.version`;

const POINT = (lonParam: string, latParam: string) => `ST_SetSRID(ST_MakePoint(${lonParam}, ${latParam}), 4326)`;

/**
 * Nodes, segments and sites one by one as editing reads them (with their versions, optionally
 * locked), inside the caller's transaction. Their rows are written by their own repositories
 * (NodesRepository, SegmentsRepository, SitesRepository).
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

  async findSite(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<SiteRow | null> {
    const [row] = await manager.query(
      `SELECT s.id, s.code, s.name, s.short_name AS "shortName", s.kind, s.phase_id AS "phaseId", s.termination_node_id AS "terminationNodeId",
              s.cost_idr_per_month::float8 AS "costIdrPerMonth", s.kecamatan_code AS "kecamatanCode", s.desa_code AS "desaCode", s.version,
              ST_AsGeoJSON(s.location, 7)::json AS geometry
         FROM sites s WHERE s.id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
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
