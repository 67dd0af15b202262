import { Injectable } from '@nestjs/common';
import type { Position } from 'geojson';
import { EntityManager } from 'typeorm';
import { MEMBERSHIP_JOINS } from '../areas/areas.repository';

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

export interface BulkNode {
  code: string;
  ref: string;
  name: string | null;
  kind: string;
  status: string;
  lon: number;
  lat: number;
}

/** Who imports: written into history (changedBy) and audit rows. */
export interface BulkActor {
  id: string | null;
  label: string;
  changedBy: string;
  requestId: string | null;
  ip: string | null;
  deviceTime: Date | null;
}

/**
 * Set-based SQL for imports: a batch of segment ends matched to existing nodes in one query;
 * nodes and segments inserted or updated with one statement per batch, each with its history
 * rows, audit entries, area membership (nodes) or areas crossed (segments). Thousands of
 * features cost a handful of round trips, all inside the caller's transaction.
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

  /**
   * Inserts the nodes made at segment ends, with their kabupaten, kecamatan and desa; returns
   * code → id for those inserted (a taken code is left out).
   */
  async insertNodes(nodes: { code: string; kind: string; status: string; lon: number; lat: number }[], manager: EntityManager): Promise<Map<string, string>> {
    if (nodes.length === 0) return new Map();
    const rows: { id: string; code: string }[] = await manager.query(
      `INSERT INTO nodes (code, kind, status, location, kabupaten_code, kecamatan_code, desa_code)
       SELECT t.code, t.kind, t.status, t.location, m_kab.code, m_kec.code, m_desa.code
         FROM (SELECT x.code, x.kind, x.status, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326) AS location
                 FROM json_to_recordset($1::json) AS x(code text, kind text, status text, lon float8, lat float8)) t
              ${MEMBERSHIP_JOINS}
       ON CONFLICT (code) DO NOTHING
       RETURNING id, code`,
      [JSON.stringify(nodes)],
    );
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /**
   * Inserts the nodes (points) of a file with their external references, areas, first history
   * rows and audit entries; returns code → id for those inserted (a taken code is left out).
   */
  async insertImportedNodes(nodes: BulkNode[], importId: string, actor: BulkActor, manager: EntityManager): Promise<Map<string, string>> {
    if (nodes.length === 0) return new Map();
    const rows: { id: string; code: string }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO nodes (code, external_ref, name, kind, status, location, kabupaten_code, kecamatan_code, desa_code)
         SELECT t.code, t.ref, t.name, t.kind, t.status, t.location, m_kab.code, m_kec.code, m_desa.code
           FROM (SELECT x.code, x.ref, x.name, x.kind, x.status, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326) AS location
                   FROM json_to_recordset($1::json) AS x(code text, ref text, name text, kind text, status text, lon float8, lat float8)) t
                ${MEMBERSHIP_JOINS}
         ON CONFLICT (code) DO NOTHING
         RETURNING id, code, status
       ), history AS (
         INSERT INTO status_changes (node_id, from_status, to_status, changed_by, changed_by_user_id, note)
         SELECT id, NULL, status, $3, $4, 'import' FROM inserted
       ), audit AS (
         INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, changes, request_id, ip, device_time)
         SELECT $4, $5, 'import_create', 'node', id::text,
                jsonb_build_object('code', jsonb_build_object('before', NULL, 'after', code), 'import', jsonb_build_object('before', NULL, 'after', $2::text)), $6, $7, $8
           FROM inserted
       )
       SELECT id, code FROM inserted`,
      [JSON.stringify(nodes), importId, actor.changedBy, actor.id, actor.label, actor.requestId, actor.ip, actor.deviceTime],
    );
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /**
   * Updates existing nodes from a file (each id once per call): code, name, kind, position,
   * status, external reference, one version step; a history row where the status changes and an
   * audit entry each. Returns the ids of the nodes that moved (their areas and cable follow).
   */
  async updateImportedNodes(nodes: (BulkNode & { id: string })[], importId: string, actor: BulkActor, manager: EntityManager): Promise<string[]> {
    if (nodes.length === 0) return [];
    const rows: { id: string; moved: boolean }[] = await manager.query(
      `WITH input AS (
         SELECT x.id, x.code, x.ref, x.name, x.kind, x.status, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326) AS location
           FROM json_to_recordset($1::json) AS x(id uuid, code text, ref text, name text, kind text, status text, lon float8, lat float8)
       ), old AS (
         SELECT n.id, n.status, n.location FROM nodes n JOIN input USING (id)
       ), updated AS (
         UPDATE nodes n SET code = i.code, name = i.name, kind = i.kind, status = i.status, location = i.location,
                external_ref = i.ref, version = n.version + 1, updated_at = now()
           FROM input i WHERE n.id = i.id
         RETURNING n.id, n.status, n.location
       ), history AS (
         INSERT INTO status_changes (node_id, from_status, to_status, changed_by, changed_by_user_id, note)
         SELECT u.id, o.status, u.status, $3, $4, 'import' FROM updated u JOIN old o USING (id) WHERE u.status <> o.status
       ), audit AS (
         INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, changes, request_id, ip, device_time)
         SELECT $4, $5, 'import_update', 'node', id::text, jsonb_build_object('import', jsonb_build_object('before', NULL, 'after', $2::text)), $6, $7, $8
           FROM updated
       )
       SELECT u.id, NOT ST_Equals(u.location, o.location) AS moved FROM updated u JOIN old o USING (id)`,
      [JSON.stringify(nodes), importId, actor.changedBy, actor.id, actor.label, actor.requestId, actor.ip, actor.deviceTime],
    );
    return rows.filter((r) => r.moved).map((r) => r.id);
  }

  /**
   * Gives up the codes of rows an import renames, under a placeholder (`~` and the id), so that
   * another row of the import can take one of them; their updates then set their new codes.
   */
  async parkCodes(table: 'nodes' | 'segments', ids: string[], manager: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`WITH u AS (UPDATE ${table} SET code = '~' || id::text WHERE id = ANY($1::uuid[]) RETURNING 1) SELECT count(*) FROM u`, [ids]);
  }

  /** Gives parked rows their codes back where still free; returns how many got theirs. */
  async unparkCodes(table: 'nodes' | 'segments', rows: { id: string; code: string }[], manager: EntityManager): Promise<number> {
    if (rows.length === 0) return 0;
    const [row] = await manager.query(
      `WITH u AS (UPDATE ${table} t SET code = x.code FROM json_to_recordset($1::json) AS x(id uuid, code text)
                   WHERE t.id = x.id AND t.code = '~' || t.id::text AND NOT EXISTS (SELECT 1 FROM ${table} o WHERE o.code = x.code)
                 RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [JSON.stringify(rows)],
    );
    return row.n;
  }

  /**
   * Moves the ends of every segment at the given (moved) nodes to where the nodes now are, one
   * version step per segment whose geometry changes; returns the ids of those segments.
   */
  async followNodes(nodeIds: string[], manager: EntityManager): Promise<string[]> {
    if (nodeIds.length === 0) return [];
    // The new line is made from the row being updated (s.geom), not from an earlier read of it: an
    // edit of the segment committed meanwhile is waited for, and its line is the one whose ends move.
    const ends = `ST_SetPoint(ST_SetPoint(s.geom, 0, coalesce((SELECT n.location FROM nodes n WHERE n.id = s.from_node_id AND n.id = ANY($1::uuid[])), ST_StartPoint(s.geom))),
                   ST_NPoints(s.geom) - 1, coalesce((SELECT n.location FROM nodes n WHERE n.id = s.to_node_id AND n.id = ANY($1::uuid[])), ST_EndPoint(s.geom)))`;
    const rows: { id: string }[] = await manager.query(
      `WITH moved AS (
         UPDATE segments s SET geom = ${ends}, version = s.version + 1, updated_at = now()
          WHERE (s.from_node_id = ANY($1::uuid[]) OR s.to_node_id = ANY($1::uuid[])) AND NOT ST_Equals(s.geom, ${ends})
         RETURNING s.id
       )
       SELECT id FROM moved`,
      [nodeIds],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Inserts segments with their external references, first history rows and audit entries; the
   * areas they cross follow (recomputeSegmentAreas).
   */
  async insertSegments(segments: BulkSegment[], importId: string, actor: BulkActor, manager: EntityManager): Promise<string[]> {
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
         INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, changes, request_id, ip, device_time)
         SELECT $4, $5, 'import_create', 'segment', id::text,
                jsonb_build_object('code', jsonb_build_object('before', NULL, 'after', code), 'import', jsonb_build_object('before', NULL, 'after', $2::text)), $6, $7, $8
           FROM inserted
       )
       SELECT id FROM inserted`,
      [JSON.stringify(segments.map(segmentJson)), importId, actor.changedBy, actor.id, actor.label, actor.requestId, actor.ip, actor.deviceTime],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Updates existing segments from a file (each id once per call): every field, geometry and end
   * nodes, status, external reference, one version step; a history row where the status changes
   * and an audit entry each. Their areas are recomputed by the caller (recomputeSegmentAreas).
   */
  async updateSegments(segments: (BulkSegment & { id: string })[], importId: string, actor: BulkActor, manager: EntityManager): Promise<string[]> {
    if (segments.length === 0) return [];
    const rows: { id: string }[] = await manager.query(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS x(id uuid, code text, ref text, from_id uuid, to_id uuid, geometry json, status text,
                placement text, tier text, cable_type text, core_count int)
       ), old AS (
         SELECT s.id, s.status FROM segments s JOIN input USING (id)
       ), updated AS (
         UPDATE segments s SET code = i.code, external_ref = i.ref, from_node_id = i.from_id, to_node_id = i.to_id,
                geom = ST_SetSRID(ST_GeomFromGeoJSON(i.geometry::text), 4326), status = i.status, placement = i.placement, tier = i.tier,
                cable_type = i.cable_type, core_count = i.core_count, version = s.version + 1, updated_at = now()
           FROM input i WHERE s.id = i.id
         RETURNING s.id, s.status
       ), history AS (
         INSERT INTO status_changes (segment_id, from_status, to_status, changed_by, changed_by_user_id, note)
         SELECT u.id, o.status, u.status, $3, $4, 'import' FROM updated u JOIN old o USING (id) WHERE u.status <> o.status
       ), audit AS (
         INSERT INTO audit_log (actor_id, actor_label, action, entity_type, entity_id, changes, request_id, ip, device_time)
         SELECT $4, $5, 'import_update', 'segment', id::text, jsonb_build_object('import', jsonb_build_object('before', NULL, 'after', $2::text)), $6, $7, $8
           FROM updated
       )
       SELECT id FROM updated`,
      [JSON.stringify(segments.map((s) => ({ id: s.id, ...segmentJson(s) }))), importId, actor.changedBy, actor.id, actor.label, actor.requestId, actor.ip, actor.deviceTime],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Recomputes the kecamatan and desa the given segments (new ones too) cross and the metres
   * inside each: against the subdivided pieces (admin_area_parts), summed per area. A segment
   * inside one piece is its whole length (the stored, generated length_m), which spares most of
   * them the intersection. ST_Contains is fast while one piece meets segment after segment (PostGIS
   * keeps the prepared piece), so this runs once per import, each piece with the segments near it
   * (GiST on segments), and the metres are measured before grouping (OFFSET 0), not after sorting.
   */
  async recomputeSegmentAreas(ids: string[], manager: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`WITH d AS (DELETE FROM segment_areas WHERE segment_id IN (SELECT unnest($1::uuid[])) RETURNING 1) SELECT count(*) FROM d`, [ids]);
    await manager.query(
      `INSERT INTO segment_areas (segment_id, area_code, level, length_m)
       SELECT id, area_code, level, sum(length_m)
         FROM (SELECT s.id, p.area_code, p.level,
                      CASE WHEN ST_Contains(p.geom, s.geom) THEN s.length_m
                           ELSE ST_Length(ST_Intersection(s.geom, p.geom)::geography, false) END AS length_m
                 FROM segments s JOIN admin_area_parts p ON p.level IN ('kecamatan', 'desa') AND ST_Intersects(s.geom, p.geom)
                WHERE s.id IN (SELECT unnest($1::uuid[]))
               OFFSET 0) pieces
        GROUP BY id, area_code, level`,
      [ids],
    );
  }
}

function segmentJson(s: BulkSegment) {
  return {
    code: s.code, ref: s.ref, from_id: s.fromNodeId, to_id: s.toNodeId, geometry: { type: 'LineString', coordinates: s.coordinates },
    status: s.status, placement: s.placement, tier: s.tier, cable_type: s.cableType, core_count: s.coreCount,
  };
}
