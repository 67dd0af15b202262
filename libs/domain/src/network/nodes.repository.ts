import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Point, Position } from 'geojson';
import { DataSource, EntityManager } from 'typeorm';
import type { NetworkStatus, NodeKind, NodeOwner } from '@serat/vocabulary';
import { ASSIGN_COMPUTED_AREAS, MEMBERSHIP_JOINS, pointAreasSql } from '../areas/area-membership';
import { AuditRepository } from '../audit/audit.repository';
import { BULK_AUDIT_BY, BULK_HISTORY_BY, BulkActor, bulkParams } from '../imports/bulk-actor';
import { NODE_TILE_GROUPS, POINT_DIGITS, TILE_BUDGET, type NodeFeature, type NodeProperties, type TileLayer } from '@serat/contract';
import { jsonObjectSql } from '../shared/answer-sql';
import { bboxParams, FeaturePage, PageQuery, toFeaturePage } from '../shared/geojson-page';
import { ENVELOPE, readTileLayer, TileWindow } from '../shared/tile-window';
import type { LonLat } from '../shared/lon-lat';
import { GeneratedHistory, generatedHistorySql, generatedParams, GeneratedRow } from './generated-history';
import { StatusRepository, SubjectStatus } from './status.repository';

/**
 * A node as the domain knows it: a row of `nodes` (without its timestamps), its position a GeoJSON
 * Point in WGS84. Every other shape of a node is cut from this one.
 */
export interface NodeRecord {
  id: string;
  code: string;
  name: string | null;
  kind: NodeKind;
  status: NetworkStatus;
  owner: NodeOwner | null;
  /** Its id in the file it was imported from. */
  externalRef: string | null;
  /** From the boundaries, never typed by hand. */
  kabupatenCode: string | null;
  kecamatanCode: string | null;
  desaCode: string | null;
  version: number;
  geometry: Point;
}

/** A new node: what its maker says about it (its areas come from the boundaries). */
export type NewNode = Pick<NodeRecord, 'code' | 'name' | 'kind' | 'status' | 'owner'> & LonLat;

/** A node of a generated network (bench:generate), with its history's start and length. */
export type GeneratedNodeInput = Omit<NewNode, 'owner'> & GeneratedRow;

/** A node of an imported file (a point), with its external reference. */
export type BulkNode = Pick<NodeRecord, 'code' | 'name' | 'kind' | 'status'> & LonLat & { ref: string };

/** What an edit may change of a node. */
export type NodeChanges = Partial<Pick<NodeRecord, 'code' | 'name' | 'kind' | 'owner'> & LonLat>;

export interface EndMatch {
  /** Index of the segment in the batch, and which end (0 = first, 1 = last). */
  i: number;
  which: 0 | 1;
  nodeId: string | null;
  node: Position | null;
}

/** The properties of a node on the map (GET /api/nodes), from `nodes n`. */
const NODE_PROPERTIES = jsonObjectSql<NodeProperties>({
  id: 'n.id',
  code: 'n.code',
  name: 'n.name',
  kind: 'n.kind',
  status: 'n.status',
  owner: 'n.owner',
  kabupatenCode: 'n.kabupaten_code',
  kecamatanCode: 'n.kecamatan_code',
  desaCode: 'n.desa_code',
  version: 'n.version',
});

const POINT = (lonParam: string, latParam: string) => `ST_SetSRID(ST_MakePoint(${lonParam}, ${latParam}), 4326)`;

/**
 * The one writer of nodes: one by one for editing, set-based for the seed and for imports (one
 * statement per batch, its history rows and audit entries in CTEs of the same statement).
 */
@Injectable()
export class NodesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findFeatures(query: PageQuery): Promise<FeaturePage<NodeFeature>> {
    const rows = await this.dataSource.query(
      `SELECT n.code AS cursor,
              json_build_object(
                'type', 'Feature',
                'id', n.id,
                'geometry', ST_AsGeoJSON(n.location, 7)::json,
                'properties', ${NODE_PROPERTIES}
              ) AS feature
         FROM nodes n
        WHERE ($1::float8 IS NULL OR n.location && ST_MakeEnvelope($1, $2, $3, $4, 4326))
          AND ($5::text IS NULL OR n.code > $5)
        ORDER BY n.code
        LIMIT $6`,
      [...bboxParams(query.bbox), query.after ?? null, query.limit + 1],
    );
    return toFeaturePage(rows, query.limit);
  }

  /**
   * The nodes of one map tile (GET /api/map/tiles): the kinds that fit its budget
   * (NODE_TILE_GROUPS: the NOC, OLTs and ODCs before the equipment of the last metres).
   */
  findInTile(window: TileWindow): Promise<TileLayer<NodeFeature>> {
    return readTileLayer<NodeFeature>((sql, parameters) => this.dataSource.query(sql, parameters), window, {
      groups: NODE_TILE_GROUPS,
      budget: TILE_BUDGET.nodes,
      from: (kinds) => `FROM nodes n WHERE n.kind IN (${kinds}) AND n.location && ${ENVELOPE}`,
      feature: `json_build_object(
                  'type', 'Feature',
                  'id', n.id,
                  'geometry', ST_AsGeoJSON(n.location, ${POINT_DIGITS})::json,
                  'properties', ${NODE_PROPERTIES}
                )`,
      order: { full: 'n.code', cut: `array_position(ARRAY['noc', 'olt', 'odc']::text[], n.kind::text), n.code` },
    });
  }

  /**
   * Inserts nodes that do not exist yet (by code) and records their first status in the history.
   * Existing nodes are left as they are, so a repeated seed never overwrites field work.
   * Returns the ids of the inserted nodes.
   */
  async insertMissing(nodes: NewNode[], changedBy: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    if (nodes.length === 0) return [];
    const rows: { id: string }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO nodes (code, name, kind, location, status, owner)
         SELECT x.code, x.name, x.kind, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326), x.status, x.owner
           FROM json_to_recordset($1::json) AS x(code text, name text, kind text, lon float8, lat float8, status text, owner text)
         ON CONFLICT (code) DO NOTHING
         RETURNING id, status
       ), history AS (
         ${StatusRepository.insertRowsSql('node', { from: 'inserted', subjectId: 'id', fromStatus: 'NULL', toStatus: 'status', changedBy: '$2', changedByUserId: 'NULL', note: `'initial status'` })}
       )
       SELECT id FROM inserted`,
      [JSON.stringify(nodes), changedBy],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Inserts the nodes of a generated network (one statement per batch, owned by the Pemda), each
   * with the history and audit entries of its way through the lifecycle (generatedHistorySql)
   * and the version those moves gave it. A code taken already is an error.
   */
  async insertGenerated(nodes: GeneratedNodeInput[], history: GeneratedHistory, manager: EntityManager): Promise<string[]> {
    if (nodes.length === 0) return [];
    const input = nodes.map((n) => ({ code: n.code, name: n.name, kind: n.kind, lon: n.lon, lat: n.lat, status: n.status, steps: n.steps, started_at: n.startedAt }));
    const rows: { id: string }[] = await manager.query(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json) AS x(code text, name text, kind text, lon float8, lat float8, status text, steps int, started_at timestamptz)
       ), inserted AS (
         INSERT INTO nodes (code, name, kind, location, status, owner, version, created_at, updated_at)
         SELECT x.code, x.name, x.kind, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326), x.status, 'pemda', x.steps,
                x.started_at, x.started_at + ($4::float8[])[x.steps] * interval '1 day'
           FROM input x
         RETURNING id, code
       ), ${generatedHistorySql('node')}
       SELECT id FROM inserted`,
      generatedParams(input, history),
    );
    return rows.map((row) => row.id);
  }

  /** Deletes the nodes whose code starts so (a generated network; its segments first), their history with them; returns how many. */
  async deleteByCodePrefix(prefix: string, manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`WITH d AS (DELETE FROM nodes WHERE starts_with(code, $1) RETURNING 1) SELECT count(*)::int AS n FROM d`, [prefix]);
    return row.n;
  }

  /** Inserts a node; null when the code is taken. */
  async insert(node: NewNode, manager: EntityManager): Promise<string | null> {
    const [row] = await manager.query(
      `INSERT INTO nodes (code, name, kind, status, owner, location) VALUES ($1, $2, $3, $4, $5, ${POINT('$6', '$7')})
       ON CONFLICT (code) DO NOTHING RETURNING id`,
      [node.code, node.name, node.kind, node.status, node.owner, node.lon, node.lat],
    );
    return row?.id ?? null;
  }

  async update(id: string, fields: NodeChanges, manager: EntityManager): Promise<void> {
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

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`WITH d AS (DELETE FROM nodes WHERE id = $1 RETURNING id) SELECT id FROM d`, [id]);
  }

  /** A status move (the lifecycle is the caller's): the new status and one version step. */
  async setStatus(id: string, to: NetworkStatus, manager: EntityManager): Promise<SubjectStatus> {
    const [row] = await manager.query(
      `WITH updated AS (UPDATE nodes SET status = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING id, code, status, version)
       SELECT * FROM updated`,
      [id, to],
    );
    return row;
  }

  /**
   * Recomputes the kabupaten/kecamatan/desa of nodes from the polygons: all of them (ids null), or
   * only the given ones. Returns how many rows changed.
   */
  async assignAreas(ids: string[] | null, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = await manager.query(
      `WITH computed AS (${pointAreasSql('nodes')}),
       updated AS (
         UPDATE nodes t ${ASSIGN_COMPUTED_AREAS}
       )
       SELECT count(*)::int AS count FROM updated`,
      [ids],
    );
    return rows[0].count;
  }

  /** The node nearest to each of many segment ends within the tolerance (metres, geodesic), in one query. */
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
  async insertEnds(nodes: { code: string; kind: NodeKind; status: NetworkStatus; lon: number; lat: number }[], manager: EntityManager): Promise<Map<string, string>> {
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
  async insertImported(nodes: BulkNode[], importId: string, actor: BulkActor, manager: EntityManager): Promise<Map<string, string>> {
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
         ${StatusRepository.insertRowsSql('node', { ...BULK_HISTORY_BY, from: 'inserted', subjectId: 'id', fromStatus: 'NULL', toStatus: 'status' })}
       ), audit AS (
         ${AuditRepository.insertRowsSql({
           ...BULK_AUDIT_BY,
           from: 'inserted',
           action: `'import_create'`,
           entityType: `'node'`,
           entityId: 'id::text',
           changes: `jsonb_build_object('code', jsonb_build_object('before', NULL, 'after', code), 'import', jsonb_build_object('before', NULL, 'after', $2::text))`,
         })}
       )
       SELECT id, code FROM inserted`,
      bulkParams(nodes, importId, actor),
    );
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /**
   * Updates existing nodes from a file (each id once per call): code, name, kind, position,
   * status, external reference, one version step; a history row where the status changes and an
   * audit entry each. Returns the ids of the nodes that moved (their areas and cable follow).
   */
  async updateImported(nodes: (BulkNode & { id: string })[], importId: string, actor: BulkActor, manager: EntityManager): Promise<string[]> {
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
         ${StatusRepository.insertRowsSql('node', { ...BULK_HISTORY_BY, from: 'updated u JOIN old o USING (id) WHERE u.status <> o.status', subjectId: 'u.id', fromStatus: 'o.status', toStatus: 'u.status' })}
       ), audit AS (
         ${AuditRepository.insertRowsSql({
           ...BULK_AUDIT_BY,
           from: 'updated',
           action: `'import_update'`,
           entityType: `'node'`,
           entityId: 'id::text',
           changes: `jsonb_build_object('import', jsonb_build_object('before', NULL, 'after', $2::text))`,
         })}
       )
       SELECT u.id, NOT ST_Equals(u.location, o.location) AS moved FROM updated u JOIN old o USING (id)`,
      bulkParams(nodes, importId, actor),
    );
    return rows.filter((r) => r.moved).map((r) => r.id);
  }

  /**
   * Gives up the codes of nodes an import renames, under a placeholder (`~` and the id), so that
   * another row of the import can take one of them; their updates then set their new codes.
   */
  async parkCodes(ids: string[], manager: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`WITH u AS (UPDATE nodes SET code = '~' || id::text WHERE id = ANY($1::uuid[]) RETURNING 1) SELECT count(*) FROM u`, [ids]);
  }

  async count(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS count FROM nodes`);
    return row.count;
  }
}
