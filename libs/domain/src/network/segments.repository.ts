import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LineString, Position } from 'geojson';
import { DataSource, EntityManager } from 'typeorm';
import type { NetworkStatus, SegmentPlacement, SegmentTier } from '@serat/vocabulary';
import { AuditRepository } from '../audit/audit.repository';
import { BULK_AUDIT_BY, BULK_HISTORY_BY, BulkActor, bulkParams } from '../imports/bulk-actor';
import { SEGMENT_TILE_GROUPS, TILE_BUDGET, type SegmentFeature, type SegmentProperties, type TileLayer } from '@serat/contract';
import { jsonObjectSql } from '../shared/answer-sql';
import { bboxParams, FeaturePage, PageQuery, toFeaturePage } from '../shared/geojson-page';
import { ENVELOPE, readTileLayer, TileWindow } from '../shared/tile-window';
import { GeneratedHistory, generatedHistorySql, generatedParams, GeneratedRow } from './generated-history';
import { StatusRepository, SubjectStatus } from './status.repository';

/**
 * A segment as the domain knows it: a row of `segments` (without its timestamps), its route a
 * GeoJSON LineString in WGS84. Every other shape of a segment is cut from this one.
 */
export interface SegmentRecord {
  id: string;
  code: string;
  fromNodeId: string;
  toNodeId: string;
  geometry: LineString;
  /** Geodesic, generated from the route by the database. */
  lengthM: number;
  placement: SegmentPlacement;
  tier: SegmentTier;
  cableType: string | null;
  coreCount: number | null;
  status: NetworkStatus;
  phaseId: string | null;
  contractor: string | null;
  slackM: number | null;
  /** Its id in the file it was imported from. */
  externalRef: string | null;
  version: number;
}

/** The attributes of a segment that an edit sets directly (not its code, route, ends or status). */
export type SegmentFields = Pick<SegmentRecord, 'placement' | 'tier' | 'cableType' | 'coreCount' | 'phaseId' | 'contractor' | 'slackM'>;

/** A segment of the seed: its ends and phase by code. */
export type NewSegment = Pick<SegmentRecord, 'code' | 'placement' | 'tier' | 'cableType' | 'coreCount' | 'status'> & {
  fromNodeCode: string;
  toNodeCode: string;
  /** [lon, lat] pairs, WGS84. */
  coordinates: [number, number][];
  phaseCode: string | null;
};

/** A segment of an imported file, its ends resolved to nodes. */
export type BulkSegment = Pick<SegmentRecord, 'code' | 'fromNodeId' | 'toNodeId' | 'status' | 'placement' | 'tier' | 'cableType' | 'coreCount'> & {
  ref: string;
  coordinates: Position[];
};

/** A segment of a generated network (bench:generate): ends and phase by code, with its history's start and length. */
export type GeneratedSegmentInput = NewSegment & GeneratedRow;

export interface StatusLength {
  status: NetworkStatus;
  count: number;
  lengthM: number;
}

/** The properties of a segment on the map (GET /api/segments), from `segments s` with its phase `p`. */
const SEGMENT_PROPERTIES = jsonObjectSql<SegmentProperties>({
  id: 's.id',
  code: 's.code',
  fromNodeId: 's.from_node_id',
  toNodeId: 's.to_node_id',
  placement: 's.placement',
  tier: 's.tier',
  cableType: 's.cable_type',
  coreCount: 's.core_count',
  lengthM: 'round(s.length_m::numeric, 1)',
  status: 's.status',
  phaseId: 's.phase_id',
  phaseName: 'p.name',
  version: 's.version',
});

/**
 * The one writer of segments and of segment_areas (the kecamatan and desa each crosses, derived
 * from its route): one by one for editing, set-based for the seed and for imports (one statement
 * per batch, its history rows and audit entries in CTEs of the same statement).
 */
@Injectable()
export class SegmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findFeatures(query: PageQuery): Promise<FeaturePage<SegmentFeature>> {
    const rows = await this.dataSource.query(
      `SELECT s.code AS cursor,
              json_build_object(
                'type', 'Feature',
                'id', s.id,
                'geometry', ST_AsGeoJSON(s.geom, 7)::json,
                'properties', ${SEGMENT_PROPERTIES}
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
   * The segments of one map tile (GET /api/map/tiles): whole routes that cross the box, simplified
   * for the tile's zoom, the tiers that fit its budget (SEGMENT_TILE_GROUPS), the longest first
   * when not even the backbone fits.
   */
  findInTile(window: TileWindow): Promise<TileLayer<SegmentFeature>> {
    const route = window.toleranceDeg > 0 ? `ST_Simplify(s.geom, ${Number(window.toleranceDeg)}, true)` : 's.geom';
    return readTileLayer<SegmentFeature>((sql, parameters) => this.dataSource.query(sql, parameters), window, {
      groups: SEGMENT_TILE_GROUPS,
      budget: TILE_BUDGET.segments,
      from: (tiers) => `FROM segments s LEFT JOIN phases p ON p.id = s.phase_id WHERE s.tier IN (${tiers}) AND s.geom && ${ENVELOPE}`,
      feature: `json_build_object(
                  'type', 'Feature',
                  'id', s.id,
                  'geometry', ST_AsGeoJSON(${route}, ${Math.trunc(window.digits)})::json,
                  'properties', ${SEGMENT_PROPERTIES}
                )`,
      order: { full: 's.code', cut: 's.length_m DESC, s.code' },
    });
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
         ${StatusRepository.insertRowsSql('segment', { from: 'inserted', subjectId: 'id', fromStatus: 'NULL', toStatus: 'status', changedBy: '$2', changedByUserId: 'NULL', note: `'initial status'` })}
       )
       SELECT id FROM inserted`,
      [JSON.stringify(input), changedBy],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Inserts the segments of a generated network (one statement per batch), resolving node and
   * phase codes, each with the history and audit entries of its way through the lifecycle
   * (generatedHistorySql) and the version those moves gave it. A code taken already, or a node
   * code unknown, is an error: nothing is skipped silently.
   */
  async insertGenerated(segments: GeneratedSegmentInput[], history: GeneratedHistory, manager: EntityManager): Promise<string[]> {
    if (segments.length === 0) return [];
    const input = segments.map((s) => ({
      code: s.code,
      from_code: s.fromNodeCode,
      to_code: s.toNodeCode,
      coordinates: s.coordinates,
      placement: s.placement,
      tier: s.tier,
      cable_type: s.cableType,
      core_count: s.coreCount,
      status: s.status,
      phase_code: s.phaseCode,
      steps: s.steps,
      started_at: s.startedAt,
    }));
    const rows: { id: string }[] = await manager.query(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS x(code text, from_code text, to_code text, coordinates json, placement text, tier text,
                cable_type text, core_count int, status text, phase_code text, steps int, started_at timestamptz)
       ), inserted AS (
         INSERT INTO segments (code, from_node_id, to_node_id, geom, placement, tier, cable_type, core_count, status, phase_id, version, created_at, updated_at)
         SELECT x.code, f.id, t.id, ST_SetSRID(ST_GeomFromGeoJSON(json_build_object('type', 'LineString', 'coordinates', x.coordinates)::text), 4326),
                x.placement, x.tier, x.cable_type, x.core_count, x.status, p.id, x.steps, x.started_at, x.started_at + ($4::float8[])[x.steps] * interval '1 day'
           FROM input x
           JOIN nodes f ON f.code = x.from_code
           JOIN nodes t ON t.code = x.to_code
           LEFT JOIN phases p ON p.code = x.phase_code
         RETURNING id, code
       ), ${generatedHistorySql('segment')}
       SELECT id FROM inserted`,
      generatedParams(input, history),
    );
    if (rows.length !== segments.length) throw new Error(`generated segments: ${segments.length - rows.length} of ${segments.length} refer to unknown node codes`);
    return rows.map((row) => row.id);
  }

  /** Deletes the segments whose code starts so (a generated network), their history and areas with them; returns how many. */
  async deleteByCodePrefix(prefix: string, manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`WITH d AS (DELETE FROM segments WHERE starts_with(code, $1) RETURNING 1) SELECT count(*)::int AS n FROM d`, [prefix]);
    return row.n;
  }

  /**
   * Brings the planner's statistics of the network tables up to date inside a bulk write's
   * transaction (ANALYZE counts the rows the transaction itself inserted): without it, every
   * statement of the next batch is planned for the tables as they were before the write began.
   */
  async analyzeNetworkTables(manager: EntityManager): Promise<void> {
    await manager.query(`ANALYZE nodes, segments, segment_areas, sites`);
  }

  async countByCodePrefix(prefix: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query(`SELECT count(*)::int AS n FROM segments WHERE starts_with(code, $1)`, [prefix]);
    return row.n;
  }

  async insert(segment: SegmentFields & Pick<SegmentRecord, 'code' | 'fromNodeId' | 'toNodeId' | 'geometry' | 'status'>, manager: EntityManager): Promise<string | null> {
    const [row] = await manager.query(
      `INSERT INTO segments (code, from_node_id, to_node_id, geom, placement, tier, cable_type, core_count, status, phase_id, contractor, slack_m)
       VALUES ($1, $2, $3, ST_SetSRID(ST_GeomFromGeoJSON($4), 4326), $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (code) DO NOTHING RETURNING id`,
      [
        segment.code,
        segment.fromNodeId,
        segment.toNodeId,
        JSON.stringify(segment.geometry),
        segment.placement,
        segment.tier,
        segment.cableType,
        segment.coreCount,
        segment.status,
        segment.phaseId,
        segment.contractor,
        segment.slackM,
      ],
    );
    return row?.id ?? null;
  }

  /**
   * Puts the rows of these codes in the phase, or (`phaseId` null) takes those of phase `from` out
   * of it; moves their versions on (an open edit form then sees the change). Returns the codes
   * found and how many rows moved.
   */
  async movePhase(codes: string[], phaseId: string | null, from: string | null, manager: EntityManager): Promise<{ found: string[]; moved: number }> {
    const found: { code: string }[] = await manager.query(`SELECT code FROM segments WHERE code = ANY($1::text[])`, [codes]);
    const [row] = await manager.query(
      `WITH moved AS (UPDATE segments SET phase_id = $2, version = version + 1, updated_at = now()
                       WHERE code = ANY($1::text[]) AND ($3::uuid IS NULL OR phase_id = $3) AND phase_id IS DISTINCT FROM $2 RETURNING 1)
       SELECT count(*)::int AS n FROM moved`,
      [codes, phaseId, from],
    );
    return { found: found.map((r) => r.code), moved: row.n };
  }

  /** Sets the fields given (and only those), with one version step. */
  async update(id: string, fields: Partial<SegmentFields & Pick<SegmentRecord, 'code' | 'geometry' | 'fromNodeId' | 'toNodeId'>>, manager: EntityManager): Promise<void> {
    const keys = Object.keys(fields) as (keyof typeof fields)[];
    const column: Record<string, string> = {
      code: 'code',
      fromNodeId: 'from_node_id',
      toNodeId: 'to_node_id',
      placement: 'placement',
      tier: 'tier',
      cableType: 'cable_type',
      coreCount: 'core_count',
      phaseId: 'phase_id',
      contractor: 'contractor',
      slackM: 'slack_m',
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

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`WITH d AS (DELETE FROM segments WHERE id = $1 RETURNING id) SELECT id FROM d`, [id]);
  }

  /** A status move (the lifecycle is the caller's): the new status and one version step. */
  async setStatus(id: string, to: NetworkStatus, manager: EntityManager): Promise<SubjectStatus> {
    const [row] = await manager.query(
      `WITH updated AS (UPDATE segments SET status = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING id, code, status, version)
       SELECT * FROM updated`,
      [id, to],
    );
    return row;
  }

  /** Moves the ends of every segment that starts or ends at the node to its new position (an edit of the node). */
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

  /**
   * Moves the ends of every segment at the given (moved) nodes to where the nodes now are, one
   * version step per segment whose geometry changes (an import); returns the ids of those segments.
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
   * Inserts segments of a file with their external references, first history rows and audit
   * entries; the areas they cross follow (recomputeAreas).
   */
  async insertImported(segments: BulkSegment[], importId: string, actor: BulkActor, manager: EntityManager): Promise<string[]> {
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
         ${StatusRepository.insertRowsSql('segment', { ...BULK_HISTORY_BY, from: 'inserted', subjectId: 'id', fromStatus: 'NULL', toStatus: 'status' })}
       ), audit AS (
         ${AuditRepository.insertRowsSql({
           ...BULK_AUDIT_BY,
           from: 'inserted',
           action: `'import_create'`,
           entityType: `'segment'`,
           entityId: 'id::text',
           changes: `jsonb_build_object('code', jsonb_build_object('before', NULL, 'after', code), 'import', jsonb_build_object('before', NULL, 'after', $2::text))`,
         })}
       )
       SELECT id FROM inserted`,
      bulkParams(segments.map(segmentJson), importId, actor),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Updates existing segments from a file (each id once per call): every field, geometry and end
   * nodes, status, external reference, one version step; a history row where the status changes
   * and an audit entry each. Their areas are recomputed by the caller (recomputeAreas).
   */
  async updateImported(segments: (BulkSegment & { id: string })[], importId: string, actor: BulkActor, manager: EntityManager): Promise<string[]> {
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
         ${StatusRepository.insertRowsSql('segment', { ...BULK_HISTORY_BY, from: 'updated u JOIN old o USING (id) WHERE u.status <> o.status', subjectId: 'u.id', fromStatus: 'o.status', toStatus: 'u.status' })}
       ), audit AS (
         ${AuditRepository.insertRowsSql({
           ...BULK_AUDIT_BY,
           from: 'updated',
           action: `'import_update'`,
           entityType: `'segment'`,
           entityId: 'id::text',
           changes: `jsonb_build_object('import', jsonb_build_object('before', NULL, 'after', $2::text))`,
         })}
       )
       SELECT id FROM updated`,
      bulkParams(
        segments.map((s) => ({ id: s.id, ...segmentJson(s) })),
        importId,
        actor,
      ),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Gives up the codes of segments an import renames, under a placeholder (`~` and the id), so
   * that another row of the import can take one of them; their updates then set their new codes.
   */
  async parkCodes(ids: string[], manager: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`WITH u AS (UPDATE segments SET code = '~' || id::text WHERE id = ANY($1::uuid[]) RETURNING 1) SELECT count(*) FROM u`, [ids]);
  }

  /** Gives parked segments their codes back where still free; returns how many got theirs. */
  async unparkCodes(rows: { id: string; code: string }[], manager: EntityManager): Promise<number> {
    if (rows.length === 0) return 0;
    const [row] = await manager.query(
      `WITH u AS (UPDATE segments t SET code = x.code FROM json_to_recordset($1::json) AS x(id uuid, code text)
                   WHERE t.id = x.id AND t.code = '~' || t.id::text AND NOT EXISTS (SELECT 1 FROM segments o WHERE o.code = x.code)
                 RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [JSON.stringify(rows)],
    );
    return row.n;
  }

  /**
   * Recomputes the kecamatan and desa the given segments (new ones too) cross and the metres
   * inside each: against the subdivided pieces (admin_area_parts), summed per area. A segment
   * inside one piece is its whole length (the stored, generated length_m), which spares most of
   * them the intersection. ST_Contains is fast while one piece meets segment after segment (PostGIS
   * keeps the prepared piece), so an import runs this once, each piece with the segments near it
   * (GiST on segments), and the metres are measured before grouping (OFFSET 0), not after sorting.
   */
  async recomputeAreas(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (ids.length === 0) return;
    // The rows carry the segment's status and phase (the area figures count them so, see the
    // migration AreaRollups1765600000000): the segments stay locked until the end of the
    // transaction, so that no status change slips between the copy and the commit. The callers
    // have written these segments already, so this seldom waits.
    await manager.query(`SELECT count(*) FROM (SELECT 1 FROM segments WHERE id IN (SELECT unnest($1::uuid[])) FOR NO KEY UPDATE) l`, [ids]);
    await manager.query(`WITH d AS (DELETE FROM segment_areas WHERE segment_id IN (SELECT unnest($1::uuid[])) RETURNING 1) SELECT count(*) FROM d`, [ids]);
    await manager.query(
      `INSERT INTO segment_areas (segment_id, area_code, level, length_m, status, phase_id)
       SELECT id, area_code, level, sum(length_m), status, phase_id
         FROM (SELECT s.id, p.area_code, p.level, s.status, s.phase_id,
                      CASE WHEN ST_Contains(p.geom, s.geom) THEN s.length_m
                           ELSE ST_Length(ST_Intersection(s.geom, p.geom)::geography, false) END AS length_m
                 FROM segments s JOIN admin_area_parts p ON p.level IN ('kecamatan', 'desa') AND ST_Intersects(s.geom, p.geom)
                WHERE s.id IN (SELECT unnest($1::uuid[]))
               OFFSET 0) pieces
        GROUP BY id, area_code, level, status, phase_id`,
      [ids],
    );
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

function segmentJson(s: BulkSegment) {
  return {
    code: s.code,
    ref: s.ref,
    from_id: s.fromNodeId,
    to_id: s.toNodeId,
    geometry: { type: 'LineString', coordinates: s.coordinates },
    status: s.status,
    placement: s.placement,
    tier: s.tier,
    cable_type: s.cableType,
    core_count: s.coreCount,
  };
}
