import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { bboxParams, FeaturePage, PageQuery, toFeaturePage } from '../shared/geojson-page';
import type { NetworkStatus, NodeKind, NodeOwner } from './network-vocabulary';

export interface NewNode {
  code: string;
  name: string | null;
  kind: NodeKind;
  lon: number;
  lat: number;
  status: NetworkStatus;
  owner: NodeOwner | null;
}

@Injectable()
export class NodesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findFeatures(query: PageQuery): Promise<FeaturePage> {
    const rows = await this.dataSource.query(
      `SELECT n.code AS cursor,
              json_build_object(
                'type', 'Feature',
                'id', n.id,
                'geometry', ST_AsGeoJSON(n.location, 7)::json,
                'properties', json_build_object(
                  'id', n.id, 'code', n.code, 'name', n.name, 'kind', n.kind, 'status', n.status,
                  'owner', n.owner, 'kabupatenCode', n.kabupaten_code, 'kecamatanCode', n.kecamatan_code,
                  'desaCode', n.desa_code, 'version', n.version)
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
         INSERT INTO status_changes (node_id, from_status, to_status, changed_by, note)
         SELECT id, NULL, status, $2, 'initial status' FROM inserted
       )
       SELECT id FROM inserted`,
      [JSON.stringify(nodes), changedBy],
    );
    return rows.map((row) => row.id);
  }

  async count(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS count FROM nodes`);
    return row.count;
  }
}
