import { Injectable } from '@nestjs/common';
import type { Position } from 'geojson';
import { EntityManager } from 'typeorm';

export interface EndMatch {
  /** Index of the segment in the batch, and which end (0 = first, 1 = last). */
  i: number;
  which: 0 | 1;
  nodeId: string | null;
  node: Position | null;
}

export interface BulkSegment {
  code: string;
  ref: string;
  fromNodeId: string;
  toNodeId: string;
  coordinates: Position[];
  status: string;
  placement: string;
  tier: string;
  cableType: string | null;
  coreCount: number | null;
}

/**
 * Set-based SQL for imports: a batch of segment ends matched to existing nodes in one query,
 * nodes and segments inserted with one statement each, their first history rows and audit
 * entries with one more. Thousands of segments cost a handful of round trips.
 */
@Injectable()
export class BulkSegmentsRepository {
  async matchEnds(ends: { i: number; which: 0 | 1; lon: number; lat: number }[], toleranceM: number, manager: EntityManager): Promise<EndMatch[]> {
    if (ends.length === 0) return [];
    const rows: { i: number; which: 0 | 1; node_id: string | null; lon: number | null; lat: number | null }[] = await manager.query(
      `WITH e AS (
         SELECT x.i, x.which, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326) AS pt
           FROM json_to_recordset($1::json) AS x(i int, which int, lon float8, lat float8)
       )
       SELECT e.i, e.which, near.id AS node_id, ST_X(near.location) AS lon, ST_Y(near.location) AS lat
         FROM e LEFT JOIN LATERAL (
           SELECT n.id, n.location FROM nodes n
            WHERE n.location && ST_Expand(e.pt, $2 / 50000.0) AND ST_DWithin(n.location::geography, e.pt::geography, $2)
            ORDER BY n.location <-> e.pt LIMIT 1) near ON true`,
      [JSON.stringify(ends), toleranceM],
    );
    return rows.map((r) => ({ i: r.i, which: r.which, nodeId: r.node_id, node: r.node_id ? [r.lon!, r.lat!] : null }));
  }

  /** Inserts nodes; returns code → id for those inserted (a taken code is left out). */
  async insertNodes(nodes: { code: string; kind: string; status: string; lon: number; lat: number }[], manager: EntityManager): Promise<Map<string, string>> {
    if (nodes.length === 0) return new Map();
    const rows: { id: string; code: string }[] = await manager.query(
      `INSERT INTO nodes (code, kind, status, location)
       SELECT x.code, x.kind, x.status, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326)
         FROM json_to_recordset($1::json) AS x(code text, kind text, status text, lon float8, lat float8)
       ON CONFLICT (code) DO NOTHING
       RETURNING id, code`,
      [JSON.stringify(nodes)],
    );
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /** Inserts segments with their external references, first history rows and audit entries. */
  async insertSegments(segments: BulkSegment[], importId: string, actor: { id: string | null; label: string; changedBy: string; requestId: string | null; ip: string | null }, manager: EntityManager): Promise<string[]> {
    if (segments.length === 0) return [];
    const rows: { id: string }[] = await manager.query(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS x(code text, ref text, from_id uuid, to_id uuid, geometry json, status text,
                placement text, tier text, cable_type text, core_count int)
       ), inserted AS (
         INSERT INTO segments (code, external_ref, from_node_id, to_node_id, geom, status, placement, tier, cable_type, core_count)
         SELECT code, ref, from_id, to_id, ST_SetSRID(ST_GeomFromGeoJSON(geometry::text), 4326), status, placement, tier, cable_type, core_count FROM input
         RETURNING id, code, status
       ), history AS (
         INSERT INTO status_changes (segment_id, from_status, to_status, changed_by, changed_by_user_id, note)
         SELECT id, NULL, status, $3, $4, 'import' FROM inserted
       ), audit AS (
         INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, changes, request_id, ip)
         SELECT $4, $5, 'import_create', 'segment', id::text,
                jsonb_build_object('code', jsonb_build_object('before', NULL, 'after', code), 'import', jsonb_build_object('before', NULL, 'after', $2::text)), $6, $7
           FROM inserted
       )
       SELECT id FROM inserted`,
      [
        JSON.stringify(segments.map((s) => ({
          code: s.code, ref: s.ref, from_id: s.fromNodeId, to_id: s.toNodeId, geometry: { type: 'LineString', coordinates: s.coordinates },
          status: s.status, placement: s.placement, tier: s.tier, cable_type: s.cableType, core_count: s.coreCount,
        }))),
        importId, actor.changedBy, actor.id, actor.label, actor.requestId, actor.ip,
      ],
    );
    return rows.map((r) => r.id);
  }
}
