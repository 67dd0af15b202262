import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { bboxParams, FeaturePage, PageQuery, toFeaturePage } from '../shared/geojson-page';
import type { NetworkStatus, SegmentPlacement, SegmentTier } from './network-vocabulary';

export interface NewSegment {
  code: string;
  fromNodeCode: string;
  toNodeCode: string;
  /** [lon, lat] pairs, WGS84. */
  coordinates: [number, number][];
  placement: SegmentPlacement;
  tier: SegmentTier;
  cableType: string | null;
  coreCount: number | null;
  status: NetworkStatus;
  phaseCode: string | null;
}

export interface StatusLength {
  status: NetworkStatus;
  count: number;
  lengthM: number;
}

@Injectable()
export class SegmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findFeatures(query: PageQuery): Promise<FeaturePage> {
    const rows = await this.dataSource.query(
      `SELECT s.code AS cursor,
              json_build_object(
                'type', 'Feature',
                'id', s.id,
                'geometry', ST_AsGeoJSON(s.geom, 7)::json,
                'properties', json_build_object(
                  'id', s.id, 'code', s.code, 'fromNodeId', s.from_node_id, 'toNodeId', s.to_node_id,
                  'placement', s.placement, 'tier', s.tier, 'cableType', s.cable_type, 'coreCount', s.core_count,
                  'lengthM', round(s.length_m::numeric, 1), 'status', s.status, 'phaseId', s.phase_id,
                  'phaseName', p.name, 'version', s.version)
              ) AS feature
         FROM segments s
         LEFT JOIN phases p ON p.id = s.phase_id
        WHERE ($1::float8 IS NULL OR s.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326))
          AND ($5::text IS NULL OR s.code > $5)
        ORDER BY s.code
        LIMIT $6`,
      [...bboxParams(query.bbox), query.after ?? null, query.limit + 1],
    );
    return toFeaturePage(rows, query.limit);
  }

  /**
   * Inserts segments that do not exist yet (by code), resolving node and phase codes, and records
   * their first status. A segment whose node code is unknown is an error, not a silent skip.
   */
  async insertMissing(segments: NewSegment[], changedBy: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    if (segments.length === 0) return [];
    const input = segments.map((s) => ({
      code: s.code,
      from_code: s.fromNodeCode,
      to_code: s.toNodeCode,
      geometry: { type: 'LineString', coordinates: s.coordinates },
      placement: s.placement,
      tier: s.tier,
      cable_type: s.cableType,
      core_count: s.coreCount,
      status: s.status,
      phase_code: s.phaseCode,
    }));
    const [missing] = await manager.query(
      `SELECT string_agg(DISTINCT c, ', ') AS codes
         FROM json_to_recordset($1::json) AS x(from_code text, to_code text),
              LATERAL (VALUES (x.from_code), (x.to_code)) AS v(c)
        WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.code = v.c)`,
      [JSON.stringify(input)],
    );
    if (missing.codes) throw new Error(`segments refer to unknown node codes: ${missing.codes}`);
    const rows: { id: string }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO segments (code, from_node_id, to_node_id, geom, placement, tier, cable_type, core_count, status, phase_id)
         SELECT x.code, f.id, t.id, ST_SetSRID(ST_GeomFromGeoJSON(x.geometry::text), 4326),
                x.placement, x.tier, x.cable_type, x.core_count, x.status, p.id
           FROM json_to_recordset($1::json) AS x(code text, from_code text, to_code text, geometry json,
                placement text, tier text, cable_type text, core_count int, status text, phase_code text)
           JOIN nodes f ON f.code = x.from_code
           JOIN nodes t ON t.code = x.to_code
           LEFT JOIN phases p ON p.code = x.phase_code
         ON CONFLICT (code) DO NOTHING
         RETURNING id, status
       ), history AS (
         INSERT INTO status_changes (segment_id, from_status, to_status, changed_by, note)
         SELECT id, NULL, status, $2, 'initial status' FROM inserted
       )
       SELECT id FROM inserted`,
      [JSON.stringify(input), changedBy],
    );
    return rows.map((row) => row.id);
  }

  /** Kilometres of cable per status: the rollout at a glance. */
  async lengthByStatus(): Promise<StatusLength[]> {
    const rows = await this.dataSource.query(
      `SELECT status, count(*)::int AS count, coalesce(sum(length_m), 0)::float8 AS length_m
         FROM segments GROUP BY status ORDER BY status`,
    );
    return rows.map((row: { status: NetworkStatus; count: number; length_m: number }) => ({
      status: row.status,
      count: row.count,
      lengthM: row.length_m,
    }));
  }

  async lengthOf(code: string): Promise<number | null> {
    const [row] = await this.dataSource.query(`SELECT length_m FROM segments WHERE code = $1`, [code]);
    return row ? row.length_m : null;
  }

  async count(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS count FROM segments`);
    return row.count;
  }
}
